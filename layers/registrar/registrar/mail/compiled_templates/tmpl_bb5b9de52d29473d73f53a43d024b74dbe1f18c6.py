from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/program.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/program.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'en/program.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/program.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/program.html.j2') does not export the requested name 'heading'", name='heading')
    context.vars.update({'button': l_0_button, 'heading': l_0_heading})
    context.exported_vars.difference_update(('button', 'heading'))
    yield from parent_template.root_render_func(context)

def block_heading(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'Your programme'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_conference_title = resolve('conference_title')
    l_0_programme = resolve('programme')
    l_0_heading = resolve('heading')
    l_0_venue = resolve('venue')
    l_0_button = resolve('button')
    l_0_manage_url = resolve('manage_url')
    pass
    yield '<p style="margin:0 0 16px;">It will soon be time: we look forward to welcoming you to “'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”. Below is the full programme; your workshops and places are highlighted and labelled “Your workshop” or “Your place”. Your dates are also attached as a calendar file (.ics).</p>\n'
    if (undefined(name='programme') if l_0_programme is missing else l_0_programme):
        pass
        yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'Venue', _block_vars=_block_vars))
        yield '\n<p style="margin:0 0 8px;">'
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'place'))
        yield '</p>\n'
        if environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'):
            pass
            yield '<p style="margin:0 0 16px;">'
            yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'))
            yield '</p>'
        for l_1_day in (undefined(name='programme') if l_0_programme is missing else l_0_programme):
            _loop_vars = {}
            pass
            yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), environment.getattr(l_1_day, 'date'), _loop_vars=_loop_vars))
            yield '\n<table role="table" style="width:100%;border-collapse:collapse;margin:0 0 16px;font-size:15px;">\n<thead><tr><th scope="col" style="text-align:left;padding:6px 8px;border-bottom:2px solid #d1d5db;width:8em;">Time</th><th scope="col" style="text-align:left;padding:6px 8px;border-bottom:2px solid #d1d5db;">Session</th></tr></thead>\n<tbody>\n'
            for l_2_row in environment.getattr(l_1_day, 'rows'):
                l_2_mine = missing
                _loop_vars = {}
                pass
                l_2_mine = ((environment.getattr(l_2_row, 'session') and environment.getattr(environment.getattr(l_2_row, 'session'), 'workshop_title')) or (environment.getattr(l_2_row, 'extra') and environment.getattr(environment.getattr(l_2_row, 'extra'), 'has_place')))
                _loop_vars['mine'] = l_2_mine
                yield '<tr style="'
                if (undefined(name='mine') if l_2_mine is missing else l_2_mine):
                    pass
                    yield 'background-color:#e8f0fb;'
                yield '">\n<td style="padding:8px;border-bottom:1px solid #e5e7eb;vertical-align:top;white-space:nowrap;">'
                yield escape(environment.getattr(l_2_row, 'time'))
                yield '</td>\n<td style="padding:8px;border-bottom:1px solid #e5e7eb;vertical-align:top;">\n<strong>'
                yield escape(environment.getattr(l_2_row, 'title'))
                yield '</strong>\n'
                if environment.getattr(l_2_row, 'subtitle'):
                    pass
                    yield '<br>'
                    yield escape(environment.getattr(l_2_row, 'subtitle'))
                for l_3_speaker in environment.getattr(l_2_row, 'speakers'):
                    _loop_vars = {}
                    pass
                    yield '<br><span style="color:#4a4a4a;">'
                    yield escape(l_3_speaker)
                    yield '</span>'
                l_3_speaker = missing
                if environment.getattr(l_2_row, 'session'):
                    pass
                    if environment.getattr(environment.getattr(l_2_row, 'session'), 'workshop_title'):
                        pass
                        yield '<br><strong>Your workshop:</strong> '
                        yield escape(environment.getattr(environment.getattr(l_2_row, 'session'), 'workshop_title'))
                        yield escape((markup_join((' (', environment.getattr(environment.getattr(l_2_row, 'session'), 'room'), ')', )) if environment.getattr(environment.getattr(l_2_row, 'session'), 'room') else ''))
                        yield '\n'
                    else:
                        pass
                        yield '<br>We will let you know your workshop shortly.\n'
                if environment.getattr(l_2_row, 'extra'):
                    pass
                    if environment.getattr(environment.getattr(l_2_row, 'extra'), 'has_place'):
                        pass
                        yield '<br><strong>Your place:</strong> you are taking part. '
                        if environment.getattr(environment.getattr(l_2_row, 'extra'), 'meeting_point'):
                            pass
                            yield escape(environment.getattr(environment.getattr(l_2_row, 'extra'), 'meeting_point'))
                    else:
                        pass
                        yield '<br>You are on the waiting list for “'
                        yield escape(environment.getattr(environment.getattr(l_2_row, 'extra'), 'title'))
                        yield '”.\n'
                yield '</td>\n</tr>\n'
            l_2_row = l_2_mine = missing
            yield '</tbody>\n</table>\n'
        l_1_day = missing
    else:
        pass
        template = environment.get_template('./_decision.html.j2', 'en/program.html.j2')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'If you cannot attend', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 8px;">Please cancel using the link below so that we can offer your place to someone on the waiting list.</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'My registration', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">We look forward to seeing you!</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=37&5=52&6=54&7=56&8=58&9=60&10=65&11=68&15=70&16=74&17=77&18=81&20=83&21=85&22=89&23=96&24=98&25=101&30=107&31=109&32=112&34=118&44=126&46=132&48=134'