from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/offered.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'de/offered.txt.j2')
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
    yield 'Ein Platz ist frei geworden: Bitte bestätigen Sie Ihre Teilnahme – „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_late = resolve('late')
    l_0_conference_title = resolve('conference_title')
    l_0_decision = resolve('decision')
    l_0_manage_url = resolve('manage_url')
    pass
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield 'wir freuen uns, Ihnen mitteilen zu können, dass bei der Veranstaltung „'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ nach dem Anmeldeschluss ein Platz frei geworden ist, den wir Ihnen anbieten können. Da Sie Ihre Voranmeldung erst nach dem Anmeldeschluss bestätigt haben, kam sie erst an die Reihe, nachdem alle rechtzeitig bestätigten Voranmeldungen berücksichtigt waren.'
    else:
        pass
        yield 'wir freuen uns, Ihnen mitteilen zu können, dass bei der Veranstaltung „'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ ein Platz für Sie frei geworden ist: Sie sind von der Warteliste nachgerückt.'
    yield '\n\nBitte bestätigen Sie Ihre Teilnahme '
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'bis spätestens '
        yield str(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'))
    else:
        pass
        yield 'so bald wie möglich'
    yield ' über den folgenden Link:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'Ohne Ihre Bestätigung bis zu diesem Zeitpunkt verfällt das Angebot'
        if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'lapsed_seat_moves_on'):
            pass
            yield ', und wir geben den Platz an die nächste Person auf der Warteliste weiter'
        yield '. '
    yield 'Falls Sie nicht teilnehmen können, sagen Sie bitte über denselben Link ab; dann kann sofort die nächste Person nachrücken.\n\nFür Sie reserviert:\n\n'
    template = environment.get_template('./_decision.txt.j2', 'de/offered.txt.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\nKurz vor der Veranstaltung schicken wir Ihnen das vollständige Programm mit einem Kalendereintrag.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=42&6=53&8=61&10=63&11=66&15=71'