from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/receipt.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'de/receipt.txt.j2')
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
    l_0_confirm_url = resolve('confirm_url')
    l_0_conference_title = resolve('conference_title')
    pass
    if (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url):
        pass
        yield 'Bitte bestätigen Sie Ihre Voranmeldung'
    else:
        pass
        yield 'Ihre Voranmeldung ist eingegangen'
    yield ' – „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_on_behalf = resolve('on_behalf')
    l_0_conference_title = resolve('conference_title')
    l_0_dates = resolve('dates')
    l_0_venue = resolve('venue')
    l_0_confirm_url = resolve('confirm_url')
    l_0_deadline = resolve('deadline')
    l_0_admission_order = resolve('admission_order')
    l_0_lottery = resolve('lottery')
    l_0_manage_url = resolve('manage_url')
    pass
    if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
        pass
        yield str(environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'submitter'))
        yield ' hat Sie zur Veranstaltung „'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ ('
        yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ') vorangemeldet. '
        if environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'only'):
            pass
            yield 'Alle weiteren E-Mails zu Ihrer Anmeldung gehen, wie dort gewählt, nur an diese Adresse.'
        else:
            pass
            yield 'Alle weiteren E-Mails zu Ihrer Anmeldung gehen an Sie und in Kopie an diese Adresse.'
        yield '\n\n'
    else:
        pass
        yield 'vielen Dank für Ihre Voranmeldung zur Veranstaltung „'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ ('
        yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ').\n'
    if (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url):
        pass
        yield '\nBitte bestätigen Sie zunächst Ihre E-Mail-Adresse, indem Sie den folgenden Link öffnen:\n\n'
        yield str((undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url))
        yield '\n\nErst nach dieser Bestätigung können wir Ihre Voranmeldung bei der Vergabe der Plätze berücksichtigen. '
        if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
            pass
            yield 'Nur Sie selbst können Ihre Adresse bestätigen. Wenn Sie nicht angemeldet werden möchten, ignorieren Sie diese E-Mail bitte.'
        else:
            pass
            yield 'Wenn Sie sich nicht selbst angemeldet haben, ignorieren Sie diese E-Mail bitte.'
        yield '\n'
    yield '\nWie es weitergeht: Die Voranmeldung ist bis '
    yield str((undefined(name='deadline') if l_0_deadline is missing else l_0_deadline))
    yield ' möglich. Danach vergeben wir die Plätze '
    if ((undefined(name='admission_order') if l_0_admission_order is missing else l_0_admission_order) == 'lottery'):
        pass
        yield 'per Losverfahren; wann Sie sich innerhalb der Frist angemeldet haben, spielt dabei keine Rolle'
    else:
        pass
        yield 'in der Reihenfolge, in der die Voranmeldungen eingegangen sind'
    yield '. Anschließend teilen wir Ihnen per E-Mail mit, ob wir Ihnen einen Platz anbieten können.\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '\nIhre Losnummer: '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '\nDas Los ist im Voraus festgelegt: Der SHA-256-Prüfwert seines Geheimnisses ist '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'commitment'))
        yield '. Nach dem Anmeldeschluss veröffentlichen die Veranstalter die Ziehung ohne Namen, jede Losnummer mit ihrem Platz im Los. So können Sie Ihre Losnummer nachschlagen, und alle können prüfen, dass niemand das Ergebnis gewählt hat. So wird es geprüft: '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield '\n'
    yield '\nÜber diesen persönlichen Link können Sie den Stand Ihrer Anmeldung jederzeit einsehen und Ihre Voranmeldung bei Bedarf zurückziehen:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\nBitte bewahren Sie diese E-Mail auf und geben Sie den Link nicht weiter.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=37&4=54&5=56&8=74&10=80&14=83&16=85&19=93&20=102&22=105&23=107&28=112'