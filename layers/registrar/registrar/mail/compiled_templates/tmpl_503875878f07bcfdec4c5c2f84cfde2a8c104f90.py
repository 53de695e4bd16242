from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/extra_place.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/extra_place.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'en/extra_place.html.j2')._get_default_module(context)
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/extra_place.html.j2') does not export the requested name 'heading'", name='heading')
    context.vars['heading'] = l_0_heading
    context.exported_vars.discard('heading')
    yield from parent_template.root_render_func(context)

def block_heading(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_extra_places = resolve('extra_places')
    pass
    yield 'You have a place: '
    l_1_loop = missing
    for l_1_extra, l_1_loop in LoopContext((undefined(name='extra_places') if l_0_extra_places is missing else l_0_extra_places), undefined):
        _loop_vars = {}
        pass
        yield escape(environment.getattr(l_1_extra, 'short_title'))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ', '
    l_1_loop = l_1_extra = missing

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
    yield '<p style="margin:0 0 16px;">Good news: a place has become available in an additional event of “'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '” for which you were on the waiting list. You now have a place:</p>\n'
    for l_1_extra in (undefined(name='extra_places') if l_0_extra_places is missing else l_0_extra_places):
        l_1_heading = resolve('heading')
        _loop_vars = {}
        pass
        yield escape(context.call((undefined(name='heading') if l_1_heading is missing else l_1_heading), environment.getattr(l_1_extra, 'title'), _loop_vars=_loop_vars))
        yield '\n<p style="margin:0 0 16px;">'
        yield escape(environment.getattr(l_1_extra, 'when'))
        if environment.getattr(l_1_extra, 'meeting_point'):
            pass
            yield '<br>'
            yield escape(environment.getattr(l_1_extra, 'meeting_point'))
        yield '</p>\n'
    l_1_extra = l_1_heading = missing
    yield '<p style="margin:0 0 16px;">Your attendance and your workshops stay as they are. If you cannot join after all, please let us know at <a href="mailto:'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '" style="color:#1d4f91;">'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '</a>.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=24&4=44&5=56&6=58&7=62&8=64&10=72'