from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/offer_expired.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/offer_expired.txt.j2')
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
    yield 'Your offer of a place has expired – “'
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
    l_0_waitlist = resolve('waitlist')
    l_0_organiser = resolve('organiser')
    pass
    yield 'We recently offered you a place that had become available at “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”. As we did not receive your confirmation in time, the offer has expired'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'open'):
        pass
        yield ' and the place goes back to the waiting list'
    yield '.\n\nWe are sorry it did not work out this time. If you have any questions, you can reach us at '
    yield str(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=42&6=48'