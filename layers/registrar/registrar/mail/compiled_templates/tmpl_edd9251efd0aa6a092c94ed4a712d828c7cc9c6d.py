from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/confirm_reminder.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'en/confirm_reminder.txt.j2')
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
    yield 'Reminder: please confirm your pre-registration – “'
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
    l_0_deadline = resolve('deadline')
    l_0_confirm_url = resolve('confirm_url')
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
        yield '), but your email address is not yet confirmed, and only you can confirm it.'
    else:
        pass
        yield 'You have pre-registered for “'
        yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
        yield '” ('
        yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
        yield ', '
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'city'))
        yield ') but have not yet confirmed your email address.'
    yield ' Without this confirmation we cannot consider your pre-registration when places are allocated.\n\nPlease open the following link by '
    yield str((undefined(name='deadline') if l_0_deadline is missing else l_0_deadline))
    yield ':\n\n'
    yield str((undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url))
    yield '\n\nIf you no longer wish to attend, or did not register yourself, there is nothing you need to do.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=44&6=64&8=66'