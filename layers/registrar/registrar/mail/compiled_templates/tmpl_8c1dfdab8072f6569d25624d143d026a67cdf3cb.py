from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/program.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/program.txt.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_subject(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_conference_title = resolve('conference_title')
    pass
    yield 'Your programme and workshops – “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_conference_title = resolve('conference_title')
    l_0_programme = resolve('programme')
    l_0_venue = resolve('venue')
    l_0_manage_url = resolve('manage_url')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield 'It will soon be time: we look forward to welcoming you to “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”. Below is the full programme; your workshops and places are marked with ►. Your dates are also attached as a calendar file (.ics).\n'
    if (undefined(name='programme') if l_0_programme is missing else l_0_programme):
        pass
        yield '\nVenue: '
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'place'))
        yield '\n'
        if environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'):
            pass
            yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'))
            yield '\n'
        for l_1_day in (undefined(name='programme') if l_0_programme is missing else l_0_programme):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(environment.getattr(l_1_day, 'date'))
            yield '\n'
            yield str(('=' * t_1(environment.getattr(l_1_day, 'date'))))
            yield '\n'
            for l_2_row in environment.getattr(l_1_day, 'rows'):
                _loop_vars = {}
                pass
                yield '\n'
                yield str(environment.getattr(l_2_row, 'time'))
                yield ': '
                yield str(environment.getattr(l_2_row, 'title'))
                yield '\n'
                if environment.getattr(l_2_row, 'subtitle'):
                    pass
                    yield '  '
                    yield str(environment.getattr(l_2_row, 'subtitle'))
                    yield '\n'
                for l_3_speaker in environment.getattr(l_2_row, 'speakers'):
                    _loop_vars = {}
                    pass
                    yield '  – '
                    yield str(l_3_speaker)
                    yield '\n'
                l_3_speaker = missing
                if environment.getattr(l_2_row, 'session'):
                    pass
                    if environment.getattr(environment.getattr(l_2_row, 'session'), 'workshop_title'):
                        pass
                        yield '  ► Your workshop: '
                        yield str(environment.getattr(environment.getattr(l_2_row, 'session'), 'workshop_title'))
                        yield str((str_join((' (', environment.getattr(environment.getattr(l_2_row, 'session'), 'room'), ')', )) if environment.getattr(environment.getattr(l_2_row, 'session'), 'room') else ''))
                        yield '\n'
                    else:
                        pass
                        yield '  ► We will let you know your workshop shortly.\n'
                if environment.getattr(l_2_row, 'extra'):
                    pass
                    if environment.getattr(environment.getattr(l_2_row, 'extra'), 'has_place'):
                        pass
                        yield '  ► You have a place. '
                        if environment.getattr(environment.getattr(l_2_row, 'extra'), 'meeting_point'):
                            pass
                            yield str(environment.getattr(environment.getattr(l_2_row, 'extra'), 'meeting_point'))
                        yield '\n'
                    else:
                        pass
                        yield '  ► You are on the waiting list for “'
                        yield str(environment.getattr(environment.getattr(l_2_row, 'extra'), 'title'))
                        yield '”.\n'
            l_2_row = missing
        l_1_day = missing
    else:
        pass
        yield '\n'
        template = environment.get_template('./_decision.txt.j2', 'en/program.txt.j2')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
    yield '\nIf you cannot attend after all, please cancel using the link below so that we can offer your place to someone on the waiting list:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\nWe look forward to seeing you!\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=49&5=51&7=54&8=56&9=58&11=60&13=64&14=66&15=68&17=72&18=76&19=79&21=81&22=85&24=88&25=90&26=93&31=99&32=101&33=104&35=111&42=118&47=125'