from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/accepted.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'de/accepted.txt.j2')
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
    yield 'Zusage für Ihre Teilnahme – „'
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
    l_0_late = resolve('late')
    l_0_decision = resolve('decision')
    l_0_manage_url = resolve('manage_url')
    pass
    yield 'wir freuen uns, Ihnen einen Platz bei der Veranstaltung „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ zusagen zu können.'
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield ' Dieser Platz ist nach dem Anmeldeschluss frei geworden; da Sie Ihre Voranmeldung erst nach dem Anmeldeschluss bestätigt haben, kam sie erst an die Reihe, nachdem alle rechtzeitig bestätigten Voranmeldungen berücksichtigt waren.'
    yield ' Hier finden Sie alles Wichtige im Überblick.\n\n'
    template = environment.get_template('./_decision.txt.j2', 'de/accepted.txt.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'Bitte bestätigen Sie Ihre Teilnahme bis '
        yield str(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'))
        yield ' über den folgenden Link; danach geben wir den Platz an die nächste Person auf der Warteliste weiter. Über denselben Link können Sie auch absagen, falls Sie doch nicht teilnehmen können:\n'
    else:
        pass
        yield 'Falls Sie doch nicht teilnehmen können, sagen Sie bitte über den folgenden Link ab, damit wir Ihren Platz an eine Person auf der Warteliste weitergeben können:\n'
    yield '\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\nKurz vor der Veranstaltung schicken wir Ihnen das vollständige Programm mit einem Kalendereintrag.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=43&6=49&8=56&9=59&14=65'