from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/offered.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/offered.txt.j2')
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
    yield 'A place has become available: please confirm – “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_late = resolve('late')
    l_0_conference_title = resolve('conference_title')
    l_0_decision = resolve('decision')
    l_0_manage_url = resolve('manage_url')
    pass
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield 'Good news: after the deadline a place at “'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” has become available, and we can offer it to you. As you confirmed your pre-registration only after the deadline, it was considered once everyone who had confirmed in time had had their turn.'
    else:
        pass
        yield 'Good news: a place at “'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” has become available, and you have moved up from the waiting list.'
    yield '\n\nPlease confirm your attendance '
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'by '
        yield str(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'))
        yield ' at the latest'
    else:
        pass
        yield 'as soon as possible'
    yield ' using this link:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'If we have not received your confirmation by then, the offer lapses'
        if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'lapsed_seat_moves_on'):
            pass
            yield ' and we will pass the place on to the next person on the waiting list'
        yield '. '
    yield 'If you cannot attend, please decline using the same link so that the next person can move up straight away.\n\nReserved for you:\n\n'
    template = environment.get_template('./_decision.txt.j2', 'en/offered.txt.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\nShortly before the event we will send you the full programme with a calendar entry.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=42&6=53&8=62&10=64&11=67&15=72'