from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/waitlisted.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'de/waitlisted.txt.j2')
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
    yield 'Sie stehen auf der Warteliste – „'
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
    l_0_waitlist = resolve('waitlist')
    l_0_lottery = resolve('lottery')
    l_0_manage_url = resolve('manage_url')
    pass
    yield 'vielen Dank für Ihr Interesse an der Veranstaltung „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ ('
    yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield ', '
    yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
    yield '). Es sind mehr Voranmeldungen eingegangen, als Plätze zur Verfügung stehen. Wir können Ihnen daher im Moment keinen Platz anbieten, haben Sie aber auf die Warteliste gesetzt.\n'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'):
        pass
        yield '\nIhre aktuelle Position auf der Warteliste: '
        yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'))
        yield '\n\nIhre Position wird nie schlechter: Frei werdende Plätze gehen der Reihe nach an die Personen auf der Warteliste'
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
                yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap'))
                yield ' Plätze hat und andere warten'
        yield '.'
        if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'):
            pass
            yield ' Die Warteliste schließt am '
            yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'))
            yield '; danach werden keine Plätze mehr angeboten.'
        yield '\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '\nIhre Losnummer ist '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '; die veröffentlichte Ziehung nennt sie mit ihrem Platz im Los ('
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield ').\n'
    yield '\nWie es weitergeht: Sagen angemeldete Personen ab, rücken Personen von der Warteliste nach. Sind Sie an der Reihe, erhalten Sie eine E-Mail mit einem Link, über den Sie Ihre Teilnahme bestätigen'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'):
        pass
        yield '; dafür haben Sie dann bis 23:59 Uhr des '
        yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'))
        yield ' Arbeitstags nach dem Angebot Zeit (Wochenenden und Feiertage zählen nicht mit)'
    elif environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'):
        pass
        yield '; dafür haben Sie dann '
        yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'))
        yield ' Stunden Zeit'
    yield '. Bitte behalten Sie deshalb Ihr Postfach im Blick, auch den Spam-Ordner.\n\nWenn Sie nicht mehr teilnehmen möchten, können Sie sich über diesen Link von der Warteliste abmelden:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=45&5=51&7=54&9=56&11=77&13=80&16=85&20=96'