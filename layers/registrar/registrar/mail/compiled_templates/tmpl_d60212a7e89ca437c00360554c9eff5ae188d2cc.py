from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/offered.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'de/offered.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'de/offered.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/offered.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/offered.html.j2') does not export the requested name 'heading'", name='heading')
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
    yield 'Ein Platz ist für Sie frei geworden'

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
    l_0_button = resolve('button')
    l_0_manage_url = resolve('manage_url')
    pass
    yield '<p style="margin:0 0 16px;">'
    if (undefined(name='late') if l_0_late is missing else l_0_late):
        pass
        yield 'wir freuen uns, Ihnen mitteilen zu können, dass bei der Veranstaltung „'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ nach dem Anmeldeschluss ein Platz frei geworden ist, den wir Ihnen anbieten können. Da Sie Ihre Voranmeldung erst nach dem Anmeldeschluss bestätigt haben, kam sie erst an die Reihe, nachdem alle rechtzeitig bestätigten Voranmeldungen berücksichtigt waren.'
    else:
        pass
        yield 'wir freuen uns, Ihnen mitteilen zu können, dass bei der Veranstaltung „'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ ein Platz für Sie frei geworden ist: Sie sind von der Warteliste nachgerückt.'
    yield '</p>\n<p style="margin:0 0 8px;">Bitte bestätigen Sie Ihre Teilnahme '
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'bis spätestens <strong>'
        yield escape(environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'))
        yield '</strong>'
    else:
        pass
        yield 'so bald wie möglich'
    yield ':</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'Teilnahme bestätigen oder absagen', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'offer_expires'):
        pass
        yield 'Ohne Ihre Bestätigung bis zu diesem Zeitpunkt verfällt das Angebot'
        if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'lapsed_seat_moves_on'):
            pass
            yield ', und wir geben den Platz an die nächste Person auf der Warteliste weiter'
        yield '. '
    yield 'Falls Sie nicht teilnehmen können, sagen Sie bitte über denselben Link ab; dann kann sofort die nächste Person nachrücken.</p>\n'
    template = environment.get_template('./_decision.html.j2', 'de/offered.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '<p style="margin:0 0 16px;">Kurz vor der Veranstaltung schicken wir Ihnen das vollständige Programm mit einem Kalendereintrag.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=37&5=51&6=62&7=71&8=73&9=81'