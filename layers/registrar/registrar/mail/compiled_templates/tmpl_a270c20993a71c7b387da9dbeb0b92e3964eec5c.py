from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/waitlisted.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/waitlisted.txt.j2')
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
    yield 'You are on the waiting list – “'
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
    l_0_dates = resolve('dates')
    l_0_venue = resolve('venue')
    l_0_waitlist = resolve('waitlist')
    l_0_lottery = resolve('lottery')
    l_0_manage_url = resolve('manage_url')
    pass
    yield 'Thank you for your interest in “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '” ('
    yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield ', '
    yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
    yield '). We received more pre-registrations than there are places, so we cannot offer you a place at the moment, but we have put you on the waiting list.\n'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'):
        pass
        yield '\nYour current position on the waiting list: '
        yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'position'))
        yield '\n\nYour position never gets worse: places that become free go to the people on the waiting list in turn'
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
                yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'cap'))
                yield ' places while others wait'
        yield '.'
        if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'):
            pass
            yield ' The waiting list closes on '
            yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'closes'))
            yield '; after that no more places are offered.'
        yield '\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '\nYour lottery ticket is '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '; the published draw lists it with its lottery place ('
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield ').\n'
    yield '\nWhat happens next: when registered participants cancel, people move up from the waiting list. When it is your turn, you will receive an email with a link to confirm your attendance'
    if environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'):
        pass
        yield '; you will then have until 23:59 on the '
        yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_working_day'))
        yield ' working day after the offer to do so (weekends and public holidays do not count)'
    elif environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'):
        pass
        yield '; you will then have '
        yield str(environment.getattr((undefined(name='waitlist') if l_0_waitlist is missing else l_0_waitlist), 'offer_ttl_hours'))
        yield ' hours to do so'
    yield '. Please keep an eye on your inbox, including your spam folder.\n\nIf you no longer wish to attend, you can leave the waiting list with this link:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=45&5=51&7=54&9=56&11=77&13=80&16=85&20=96'