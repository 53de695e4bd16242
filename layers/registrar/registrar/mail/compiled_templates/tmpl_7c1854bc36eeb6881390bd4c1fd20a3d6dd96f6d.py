from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/already_registered.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'de/already_registered.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'de/already_registered.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/already_registered.html.j2') does not export the requested name 'button'", name='button')
    context.vars['button'] = l_0_button
    context.exported_vars.discard('button')
    yield from parent_template.root_render_func(context)

def block_heading(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'Sie sind bereits vorangemeldet'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_conference_title = resolve('conference_title')
    l_0_button = resolve('button')
    l_0_manage_url = resolve('manage_url')
    l_0_form_url = resolve('form_url')
    pass
    yield '<p style="margin:0 0 16px;">für diese E-Mail-Adresse liegt bereits eine Voranmeldung zur Veranstaltung „'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ vor. Das Anmeldeformular wurde mit dieser Adresse ein weiteres Mal abgeschickt; eine zweite Voranmeldung ist nicht nötig, und es wurde auch keine angelegt.</p>\n<p style="margin:0 0 8px;">Den Stand Ihrer Anmeldung sehen Sie über diesen persönlichen Link:</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'Meine Anmeldung', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">Möchten Sie eine weitere Person anmelden, verwenden Sie im <a href="'
    yield escape((undefined(name='form_url') if l_0_form_url is missing else l_0_form_url))
    yield '" style="color:#1d4f91;">Anmeldeformular</a> bitte deren eigene E-Mail-Adresse.</p>\n<p style="margin:0 0 16px;">Wenn Sie das Formular nicht selbst abgeschickt haben, können Sie diese E-Mail ignorieren.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=24&4=34&5=47&7=49&8=51'