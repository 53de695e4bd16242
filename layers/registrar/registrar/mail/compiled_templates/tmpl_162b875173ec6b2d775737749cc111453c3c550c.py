from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/declined.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.html.j2', 'de/declined.html.j2')
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
    yield 'Ihre Absage ist eingegangen'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_conference_title = resolve('conference_title')
    l_0_waitlist = resolve('waitlist')
    l_0_organiser = resolve('organiser')
    pass
    yield '<p style="margin:0 0 16px;">vielen Dank für Ihre Rückmeldung. Hiermit bestätigen wir, dass Sie Ihre Teilnahme an der Veranstaltung „'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ abgesagt haben.'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'open'):
        pass
        yield ' Ihren Platz geben wir an eine Person auf der Warteliste weiter.'
    yield '</p>\n<p style="margin:0 0 16px;">Falls das ein Versehen war, wenden Sie sich bitte umgehend an <a href="mailto:'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '" style="color:#1d4f91;">'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '</a>. Ihren bisherigen Platz können wir Ihnen dann allerdings nicht mehr garantieren.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=12&2=17&3=27&4=39&5=45'