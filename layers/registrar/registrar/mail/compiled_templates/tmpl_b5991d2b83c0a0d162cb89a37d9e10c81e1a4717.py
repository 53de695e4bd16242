from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/receipt.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/receipt.txt.j2')
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
        yield 'Please confirm your pre-registration'
    else:
        pass
        yield 'We have received your pre-registration'
    yield ' – “'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '”'

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
        yield ' has pre-registered you for “'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield '). '
        if environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'only'):
            pass
            yield 'As chosen there, all further emails about your registration go to that address only.'
        else:
            pass
            yield 'All further emails about your registration go to you, with a copy to that address.'
        yield '\n\n'
    else:
        pass
        yield 'Thank you for pre-registering for “'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ').\n'
    if (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url):
        pass
        yield '\nFirst, please confirm your email address by opening this link:\n\n'
        yield str((undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url))
        yield '\n\nWe can only consider your pre-registration when places are allocated once you have confirmed it. '
        if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
            pass
            yield 'Only you can confirm your address. If you do not wish to be registered, please ignore this email.'
        else:
            pass
            yield 'If you did not register yourself, please ignore this email.'
        yield '\n'
    yield '\nWhat happens next: pre-registration is open until '
    yield str((undefined(name='deadline') if l_0_deadline is missing else l_0_deadline))
    yield '. After that we allocate the places '
    if ((undefined(name='admission_order') if l_0_admission_order is missing else l_0_admission_order) == 'lottery'):
        pass
        yield 'by drawing lots; when you registered within that period makes no difference'
    else:
        pass
        yield 'in the order in which pre-registrations were received'
    yield '. We will then let you know by email whether we can offer you a place.\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '\nYour lottery ticket: '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '\nThe lottery is fixed in advance: the SHA-256 commitment of its secret is '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'commitment'))
        yield '. After the deadline the organisers publish the draw without names, every ticket with its lottery place, so you can look up your ticket and anyone can check that nobody chose the result. How it is checked: '
        yield str(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield '\n'
    yield '\nWith this personal link you can check the status of your registration at any time and withdraw it if you need to:\n\n'
    yield str((undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url))
    yield '\n\nPlease keep this email and do not share the link.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=37&4=54&5=56&8=74&10=80&14=83&16=85&19=93&20=102&22=105&23=107&28=112'