from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/substitute_confirm.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/substitute_confirm.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'en/substitute_confirm.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/substitute_confirm.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/substitute_confirm.html.j2') does not export the requested name 'heading'", name='heading')
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
    yield 'Take over a place'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_substitution = resolve('substitution')
    l_0_conference_title = resolve('conference_title')
    l_0_heading = resolve('heading')
    l_0_button = resolve('button')
    l_0_confirm_url = resolve('confirm_url')
    pass
    yield '<p style="margin:0 0 16px;"><bdi>'
    yield escape(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'holder'))
    yield '</bdi> (<bdi>'
    yield escape(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'organisation'))
    yield '</bdi>) cannot attend “'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '” and has named you as their substitute. You can take over the confirmed place, with its workshops.</p>\n'
    template = environment.get_template('./_decision.html.j2', 'en/substitute_confirm.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'Please confirm your email address', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 8px;">To take over the place, please open the following link by <strong>'
    yield escape(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'until'))
    yield '</strong> and confirm your email address there.</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url), 'Take over the place', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">The place passes to you only once you have confirmed; you will then receive the confirmation of your place with your personal link. If you do not wish to take over the place, please ignore this email: the place then stays with <bdi>'
    yield escape(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'holder'))
    yield '</bdi>.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=37&5=51&6=57&7=63&8=65&9=67&10=69'