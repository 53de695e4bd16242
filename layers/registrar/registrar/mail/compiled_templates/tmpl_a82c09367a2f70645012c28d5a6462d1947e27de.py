from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/receipt.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_button = l_0_heading = missing
    pass
    parent_template = environment.get_template('layout.html.j2', 'en/receipt.html.j2')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('macros.html.j2', 'en/receipt.html.j2')._get_default_module(context)
    l_0_button = getattr(included_template, 'button', missing)
    if l_0_button is missing:
        l_0_button = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/receipt.html.j2') does not export the requested name 'button'", name='button')
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'en/receipt.html.j2') does not export the requested name 'heading'", name='heading')
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
        yield 'Please confirm your pre-registration'
    else:
        pass
        yield 'We have received your pre-registration'

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
        yield '</bdi> has pre-registered you for “'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield '). '
        if environment.getattr((undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf), 'only'):
            pass
            yield 'As chosen there, all further emails about your registration go to that address only.'
        else:
            pass
            yield 'All further emails about your registration go to you, with a copy to that address.'
        yield '</p>\n'
    else:
        pass
        yield '<p style="margin:0 0 16px;">Thank you for pre-registering for “'
        yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ').</p>\n'
    if (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url):
        pass
        yield '<p style="margin:0 0 8px;">First, please confirm your email address:</p>\n'
        yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url), 'Confirm email address', _block_vars=_block_vars))
        yield '\n<p style="margin:0 0 16px;">We can only consider your pre-registration when places are allocated once you have confirmed it. '
        if (undefined(name='on_behalf') if l_0_on_behalf is missing else l_0_on_behalf):
            pass
            yield 'Only you can confirm your address. If you do not wish to be registered, please ignore this email.'
        else:
            pass
            yield 'If you did not register yourself, please ignore this email.'
        yield '</p>\n'
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'What happens next', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">Pre-registration is open until '
    yield escape((undefined(name='deadline') if l_0_deadline is missing else l_0_deadline))
    yield '. After that we allocate the places '
    if ((undefined(name='admission_order') if l_0_admission_order is missing else l_0_admission_order) == 'lottery'):
        pass
        yield 'by drawing lots; when you registered within that period makes no difference'
    else:
        pass
        yield 'in the order in which pre-registrations were received'
    yield '. We will then let you know by email whether we can offer you a place.</p>\n'
    if (undefined(name='lottery') if l_0_lottery is missing else l_0_lottery):
        pass
        yield '<p style="margin:0 0 8px;">Your lottery ticket: <strong>'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'ticket'))
        yield '</strong></p>\n<p style="margin:0 0 16px;">The lottery is fixed in advance: the SHA-256 commitment of its secret is <code style="word-break:break-all;">'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'commitment'))
        yield '</code>. After the deadline the organisers publish the draw without names, every ticket with its lottery place, so you can look up your ticket and anyone can check that nobody chose the result. <a href="'
        yield escape(environment.getattr((undefined(name='lottery') if l_0_lottery is missing else l_0_lottery), 'check_url'))
        yield '">How it is checked</a></p>\n'
    yield '<p style="margin:0 0 8px;">With this personal link you can check the status of your registration at any time and withdraw it if you need to:</p>\n'
    yield escape(context.call((undefined(name='button') if l_0_button is missing else l_0_button), (undefined(name='manage_url') if l_0_manage_url is missing else l_0_manage_url), 'My registration', _block_vars=_block_vars))
    yield '\n<p style="margin:0 0 16px;">Please keep this email and do not share the link.</p>\n'

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '1=13&2=16&3=27&4=43&5=62&6=65&8=83&10=89&12=92&13=94&15=101&16=103&17=112&18=115&19=117&22=122'