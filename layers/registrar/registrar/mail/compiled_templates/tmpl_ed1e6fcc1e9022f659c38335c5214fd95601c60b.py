from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/not_admitted.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/not_admitted.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_heading(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'No place available for you'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_conference_title = resolve('conference_title')
    l_0_dates = resolve('dates')
    l_0_venue = resolve('venue')
    l_0_late = resolve('late')
    pass
    yield '<p style="margin:0 0 16px;">Thank you for your interest in “'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '” ('
    yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield ', '
    yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
    yield '). '
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield 'As you confirmed your pre-registration only after the deadline, it was not part of the allocation of places at the deadline; it could only receive a place that became free later and was not needed by anyone who had confirmed in time. No such place became free, and we are no longer giving out places, so we cannot offer you a place.'
    else:
        pass
        yield 'We received more pre-registrations than there are places, so we cannot offer you a place.'
    yield '</p>\n<p style="margin:0 0 16px;">We very much regret this and hope to welcome you on another occasion.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=12&2=17&3=27&4=40'