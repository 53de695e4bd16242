from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/confirm_reminder.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/confirm_reminder.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'en/confirm_reminder.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/confirm_reminder.html.j2') does not export the requested name 'button'", name='button')
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
    yield 'Please confirm your pre-registration'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_on_behalf = resolve('on_behalf')
    l_0_conference_title = resolve('conference_title')
    l_0_dates = resolve('dates')
    l_0_venue = resolve('venue')
    l_0_deadline = resolve('deadline')
    l_0_button = resolve('button')
    l_0_confirm_url = resolve('confirm_url')
    pass
    yield '<p style="margin:0 0 16px;">'
    if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
        pass
        yield '<bdi>'
        yield escape(environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'submitter'))
        yield '</bdi> has pre-registered you for “'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield '), but your email address is not yet confirmed, and only you can confirm it.'
    else:
        pass
        yield 'You have pre-registered for “'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ') but have not yet confirmed your email address.'
    yield ' Without this confirmation we cannot consider your pre-registration when places are allocated.</p>\n<p style="margin:0 0 8px;">Please confirm by '
    yield escape((undefined(name='deadline') if l_0_deadline is missing else l_0_deadline))
    yield ':</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url), 'Confirm email address', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">If you no longer wish to attend, or did not register yourself, there is nothing you need to do.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=24&4=34&5=50&6=71&7=73'