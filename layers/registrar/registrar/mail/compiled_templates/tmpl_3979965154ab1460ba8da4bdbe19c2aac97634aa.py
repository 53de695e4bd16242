from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/waitlisted.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/waitlisted.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'en/waitlisted.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/waitlisted.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/waitlisted.html.j2') does not export the requested name 'heading'", name='heading')
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
    yield 'You are on the waiting list'

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
    yield '<p style="margin:0 0 16px;">Thank you for your interest in “'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '” ('
    yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield ', '
    yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
    yield '). We received more pre-registrations than there are places, so we cannot offer you a place at the moment, but we have put you on the waiting list.</p>\n'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'):
        pass
        yield '<p style="margin:0 0 16px;">Your current position on the waiting list: <strong>'
        yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'))
        yield '</strong></p>\n<p style="margin:0 0 16px;">Your position never gets worse: places that become free go to the people on the waiting list in turn'
        if (environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'reserved') or environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap')):
            pass
            yield '; someone is skipped only '
            if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'reserved'):
                pass
                yield 'if the place is reserved for a group that has not yet filled its reserved places'
            if (environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'reserved') and environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap')):
                pass
                yield ', or '
            if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap'):
                pass
                yield 'if their organisation already has '
                yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap'))
                yield ' places while others wait'
        yield '.'
        if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'):
            pass
            yield ' The waiting list closes on '
            yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'))
            yield '; after that no more places are offered.'
        yield '</p>\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '<p style="margin:0 0 16px;">Your lottery ticket is <strong>'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '</strong>; the published draw lists it with its lottery place (<a href="'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield '">how it is checked</a>).</p>\n'
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'What happens next', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">When registered participants cancel, people move up from the waiting list. When it is your turn, you will receive an email with a link to confirm your attendance'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'):
        pass
        yield '; you will then have until 23:59 on the '
        yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'))
        yield ' working day after the offer to do so (weekends and public holidays do not count)'
    elif environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'):
        pass
        yield '; you will then have '
        yield escape(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'))
        yield ' hours to do so'
    yield '. Please keep an eye on your inbox, including your spam folder.</p>\n<p style="margin:0 0 8px;">If you no longer wish to attend, you can leave the waiting list:</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'My registration', _block_vars=_block_vars))
    yield '\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=37&5=54&6=60&7=63&8=65&10=86&11=89&13=93&14=95&16=106'