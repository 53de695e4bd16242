from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/extra_place.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/extra_place.txt.j2')
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
    l_0_extra_places = resolve('extra_places')
    l_0_conference_title = resolve('conference_title')
    pass
    yield 'You have a place: '
    l_1_loop = missing
    for l_1_extra, l_1_loop in LoopContext((undefined(name='extra_places') if l_0_extra_places is missing else l_0_extra_places), undefined):
        _loop_vars = {}
        pass
        yield str(environment.getattr(l_1_extra, 'short_title'))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ', '
    l_1_loop = l_1_extra = missing
    yield ' – “'
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
    l_0_extra_places = resolve('extra_places')
    l_0_organiser = resolve('organiser')
    pass
    yield 'Good news: a place has become available in an additional event of “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '” for which you were on the waiting list. You now have a place:\n'
    for l_1_extra in (undefined(name='extra_places') if l_0_extra_places is missing else l_0_extra_places):
        _loop_vars = {}
        pass
        yield '\n'
        yield str(environment.getattr(l_1_extra, 'title'))
        yield '\n'
        yield str(environment.getattr(l_1_extra, 'when'))
        yield '\n'
        if environment.getattr(l_1_extra, 'meeting_point'):
            pass
            yield str(environment.getattr(l_1_extra, 'meeting_point'))
            yield '\n'
    l_1_extra = missing
    yield '\nYour attendance and your workshops stay as they are. If you cannot join after all, please let us know at '
    yield str(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=41&4=53&5=55&7=59&8=61&9=63&10=65&14=69'