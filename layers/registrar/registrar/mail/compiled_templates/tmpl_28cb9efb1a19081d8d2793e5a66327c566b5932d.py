from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/receipt.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'de/receipt.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'de/receipt.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/receipt.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/receipt.html.j2') does not export the requested name 'heading'", name='heading')
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
    l_0_confirm_url = resolve('confirm_url')
    pass
    if (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url):
        pass
        yield 'Bitte bestätigen Sie Ihre Voranmeldung'
    else:
        pass
        yield 'Ihre Voranmeldung ist eingegangen'

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
    l_0_button = resolve('button')
    l_0_heading = resolve('heading')
    l_0_deadline = resolve('deadline')
    l_0_admission_order = resolve('admission_order')
    l_0_lottery = resolve('lottery')
    l_0_manage_url = resolve('manage_url')
    pass
    if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
        pass
        yield '<p style="margin:0 0 16px;"><bdi>'
        yield escape(environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'submitter'))
        yield '</bdi> hat Sie zur Veranstaltung „'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ ('
        yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ') vorangemeldet. '
        if environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'only'):
            pass
            yield 'Alle weiteren E-Mails zu Ihrer Anmeldung gehen, wie dort gewählt, nur an diese Adresse.'
        else:
            pass
            yield 'Alle weiteren E-Mails zu Ihrer Anmeldung gehen an Sie und in Kopie an diese Adresse.'
        yield '</p>\n'
    else:
        pass
        yield '<p style="margin:0 0 16px;">vielen Dank für Ihre Voranmeldung zur Veranstaltung „'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '“ ('
        yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ').</p>\n'
    if (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url):
        pass
        yield '<p style="margin:0 0 8px;">Bitte bestätigen Sie zunächst Ihre E-Mail-Adresse:</p>\n'
        yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url), 'E-Mail-Adresse bestätigen', _block_vars=_block_vars))
        yield '\n<p style="margin:0 0 16px;">Erst nach dieser Bestätigung können wir Ihre Voranmeldung bei der Vergabe der Plätze berücksichtigen. '
        if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
            pass
            yield 'Nur Sie selbst können Ihre Adresse bestätigen. Wenn Sie nicht angemeldet werden möchten, ignorieren Sie diese E-Mail bitte.'
        else:
            pass
            yield 'Wenn Sie sich nicht selbst angemeldet haben, ignorieren Sie diese E-Mail bitte.'
        yield '</p>\n'
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'Wie es weitergeht', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">Die Voranmeldung ist bis '
    yield escape((undefined(name='deadline') if l_0_deadline is missing else l_0_deadline))
    yield ' möglich. Danach vergeben wir die Plätze '
    if ((undefined(name='admission_order') if l_0_admission_order is missing else l_0_admission_order) == 'lottery'):
        pass
        yield 'per Losverfahren; wann Sie sich innerhalb der Frist angemeldet haben, spielt dabei keine Rolle'
    else:
        pass
        yield 'in der Reihenfolge, in der die Voranmeldungen eingegangen sind'
    yield '. Anschließend teilen wir Ihnen per E-Mail mit, ob wir Ihnen einen Platz anbieten können.</p>\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '<p style="margin:0 0 8px;">Ihre Losnummer: <strong>'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '</strong></p>\n<p style="margin:0 0 16px;">Das Los ist im Voraus festgelegt: Der SHA-256-Prüfwert seines Geheimnisses ist <code style="word-break:break-all;">'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'commitment'))
        yield '</code>. Nach dem Anmeldeschluss veröffentlichen die Veranstalter die Ziehung ohne Namen, jede Losnummer mit ihrem Platz im Los. So können Sie Ihre Losnummer nachschlagen, und alle können prüfen, dass niemand das Ergebnis gewählt hat. <a href="'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield '">So wird es geprüft</a></p>\n'
    yield '<p style="margin:0 0 8px;">Über diesen persönlichen Link können Sie den Stand Ihrer Anmeldung jederzeit einsehen und Ihre Voranmeldung bei Bedarf zurückziehen:</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'Meine Anmeldung', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">Bitte bewahren Sie diese E-Mail auf und geben Sie den Link nicht weiter.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=43&5=62&6=65&8=83&10=89&12=92&13=94&15=101&16=103&17=112&18=115&19=117&22=122'