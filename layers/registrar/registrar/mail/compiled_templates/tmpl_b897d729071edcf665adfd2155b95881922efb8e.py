from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/substituted.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/substituted.txt.j2')
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
    yield 'Your place has passed to your substitute – “'
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
    l_0_organiser = resolve('organiser')
    pass
    yield 'The substitute you named has confirmed their email address and taken over your place at “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”, with your workshops. They will receive the confirmation of the place with their own personal link.\n\nYour own registration is now closed; there is nothing more you need to do. If you have any questions, please contact '
    yield str(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=41&6=43'