"""The admissions report: one self-contained HTML file for the organisers' board and funders.

``data`` gathers the figures as a pure function of the applications, the run records and
the conference definition; ``charts`` draws them with matplotlib into inline SVG;
``render`` puts figures, charts and their tables into the page, in German or English.
"""
