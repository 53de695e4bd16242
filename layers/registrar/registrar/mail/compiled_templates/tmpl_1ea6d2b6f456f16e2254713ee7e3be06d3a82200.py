from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/waitlisted.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'de/waitlisted.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'de/waitlisted.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/waitlisted.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/waitlisted.html.j2') does not export the requested name 'heading'", name='heading')
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
    yield 'Sie stehen auf der Warteliste'

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
    l_0_waitlist = resolve('waitlist')
    l_0_lottery = resolve('lottery')
    l_0_heading = resolve('heading')
    l_0_button = resolve('button')
    l_0_manage_url = resolve('manage_url')
    pass
    yield '<p style="margin:0 0 16px;">vielen Dank für Ihr Interesse an der Veranstaltung „'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ ('
    yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield ', '
    yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
    yield '). Es sind mehr Voranmeldungen eingegangen, als Plätze zur Verfügung stehen. Wir können Ihnen daher im Moment keinen Platz anbieten, haben Sie aber auf die Warteliste gesetzt.</p>\n'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'):
        pass
        yield '<p style="margin:0 0 16px;">Ihre aktuelle Position auf der Warteliste: <strong>'
        yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'))
        yield '</strong></p>\n<p style="margin:0 0 16px;">Ihre Position wird nie schlechter: Frei werdende Plätze gehen der Reihe nach an die Personen auf der Warteliste'
        if (environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'reserved') or environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap')):
            pass
            yield '; übersprungen wird jemand nur, '
            if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'reserved'):
                pass
                yield 'wenn der Platz für eine Gruppe reserviert ist, die ihre reservierten Plätze noch nicht besetzt hat'
            if (environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'reserved') and environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap')):
                pass
                yield ', oder '
            if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap'):
                pass
                yield 'wenn die eigene Organisation schon '
                yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap'))
                yield ' Plätze hat und andere warten'
        yield '.'
        if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'):
            pass
            yield ' Die Warteliste schließt am '
            yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'))
            yield '; danach werden keine Plätze mehr angeboten.'
        yield '</p>\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '<p style="margin:0 0 16px;">Ihre Losnummer ist <strong>'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '</strong>; die veröffentlichte Ziehung nennt sie mit ihrem Platz im Los (<a href="'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield '">so wird es geprüft</a>).</p>\n'
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'Wie es weitergeht', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">Sagen angemeldete Personen ab, rücken Personen von der Warteliste nach. Sind Sie an der Reihe, erhalten Sie eine E-Mail mit einem Link, über den Sie Ihre Teilnahme bestätigen'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'):
        pass
        yield '; dafür haben Sie dann bis 23:59 Uhr des '
        yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'))
        yield ' Arbeitstags nach dem Angebot Zeit (Wochenenden und Feiertage zählen nicht mit)'
    elif environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'):
        pass
        yield '; dafür haben Sie dann '
        yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'))
        yield ' Stunden Zeit'
    yield '. Bitte behalten Sie deshalb Ihr Postfach im Blick, auch den Spam-Ordner.</p>\n<p style="margin:0 0 8px;">Wenn Sie nicht mehr teilnehmen möchten, können Sie sich von der Warteliste abmelden:</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'Meine Anmeldung', _block_vars=_block_vars))
    yield '\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=37&5=54&6=60&7=63&8=65&10=86&11=89&13=93&14=95&16=106'