from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'layout.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_greeting = resolve('greeting')
    l_0_labels = resolve('labels')
    l_0_organiser = resolve('organiser')
    l_0_reference = resolve('reference')
    l_0_on_behalf_note = resolve('on_behalf_note')
    l_0_imprint_url = resolve('imprint_url')
    l_0_privacy_url = resolve('privacy_url')
    pass
    yield 'Subject: '
    yield from context.blocks['subject'][0](context)
    yield '\n'
    yield str((undefined(name='greeting') if l_0_greeting is missing else l_0_greeting))
    yield '\n\n'
    yield from context.blocks['body'][0](context)
    yield '\n'
    yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'closing'))
    yield '\n'
    yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'signature'))
    yield '\n\n-- \n'
    yield str(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'name'))
    yield '\n'
    yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'contact'))
    yield ': '
    yield str(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '\n'
    yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'reference'))
    yield ': '
    yield str((undefined(name='reference') if l_0_reference is missing else l_0_reference))
    yield ' ('
    yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'reference_hint'))
    yield ')\n'
    if (undefined(name='on_behalf_note') if l_0_on_behalf_note is missing else l_0_on_behalf_note):
        pass
        yield str((undefined(name='on_behalf_note') if l_0_on_behalf_note is missing else l_0_on_behalf_note))
        yield '\n'
    if (undefined(name='imprint_url') if l_0_imprint_url is missing else l_0_imprint_url):
        pass
        yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'imprint'))
        yield ': '
        yield str((undefined(name='imprint_url') if l_0_imprint_url is missing else l_0_imprint_url))
        yield '\n'
    if (undefined(name='privacy_url') if l_0_privacy_url is missing else l_0_privacy_url):
        pass
        yield str(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'privacy_notice'))
        yield ': '
        yield str((undefined(name='privacy_url') if l_0_privacy_url is missing else l_0_privacy_url))
        yield '\n'

def block_subject(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '2=19&4=21&6=23&8=25&9=27&12=29&13=31&14=35&15=41&16=43&18=45&19=47&21=51&22=53&2=58&6=67'