from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/accepted.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/accepted.txt.j2')
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
    yield 'You have a place – “'
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
    l_0_late = resolve('late')
    l_0_decision = resolve('decision')
    l_0_manage_url = resolve('manage_url')
    pass
    yield 'We are pleased to tell you that you have a place at “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”.'
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield ' This place became available after the deadline; as you confirmed your pre-registration only after the deadline, it was considered once everyone who had confirmed in time had had their turn.'
    yield ' Here is everything you need to know at a glance.\n\n'
    template = environment.get_template('./_decision.txt.j2', 'en/accepted.txt.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'Please confirm your attendance by '
        yield str(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'))
        yield ' using the link below; after that we will pass the place on to the next person on the waiting list. You can also use the same link to cancel if you cannot attend after all:\n'
    else:
        pass
        yield 'If you cannot attend after all, please cancel using the link below so that we can offer your place to someone on the waiting list:\n'
    yield '\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\nShortly before the event we will send you the full programme with a calendar entry.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=43&6=49&8=56&9=59&14=65'