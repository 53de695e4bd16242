from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/not_admitted.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'de/not_admitted.txt.j2')
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
    yield 'Ihre Voranmeldung: Leider können wir Ihnen keinen Platz anbieten – „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“'

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
    yield 'vielen Dank für Ihr Interesse an der Veranstaltung „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ ('
    yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield ', '
    yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
    yield '). '
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield 'Da Sie Ihre Voranmeldung erst nach dem Anmeldeschluss bestätigt haben, nahm sie an der Platzvergabe zum Anmeldeschluss nicht teil; sie konnte nur einen Platz erhalten, der danach frei wurde und nicht an eine rechtzeitig bestätigte Voranmeldung ging. Ein solcher Platz ist nicht frei geworden, und wir vergeben keine weiteren Plätze mehr.'
    else:
        pass
        yield 'Es sind mehr Voranmeldungen eingegangen, als Plätze zur Verfügung stehen.'
    yield ' Leider können wir Ihnen daher keinen Platz anbieten.\n\nWir bedauern das sehr und würden uns freuen, Sie bei einer anderen Gelegenheit begrüßen zu dürfen.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=43'