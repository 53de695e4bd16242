from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'layout.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_language = resolve('language')
    l_0_subject = resolve('subject')
    l_0_conference_title = resolve('conference_title')
    l_0_greeting = resolve('greeting')
    l_0_labels = resolve('labels')
    l_0_organiser = resolve('organiser')
    l_0_reference = resolve('reference')
    l_0_on_behalf_note = resolve('on_behalf_note')
    l_0_imprint_url = resolve('imprint_url')
    l_0_privacy_url = resolve('privacy_url')
    pass
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape((undefined(name='language') if l_0_language is missing else l_0_language))
    yield '" dir="ltr">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="color-scheme" content="light">\n<title>'
    yield escape((undefined(name='subject') if l_0_subject is missing else l_0_subject))
    yield '</title>\n</head>\n<body style="margin:0;padding:0;background-color:#f3f4f6;">\n<div role="article" aria-roledescription="email" aria-label="'
    yield escape((undefined(name='subject') if l_0_subject is missing else l_0_subject))
    yield '" lang="'
    yield escape((undefined(name='language') if l_0_language is missing else l_0_language))
    yield '" style="max-width:640px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;">\n<p style="margin:0 0 8px;font-size:14px;color:#4a4a4a;">'
    yield escape((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '</p>\n<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3;color:#1a1a1a;">'
    yield from context.blocks['heading'][0](context)
    yield '</h1>\n<p style="margin:0 0 16px;"><bdi>'
    yield escape((undefined(name='greeting') if l_0_greeting is missing else l_0_greeting))
    yield '</bdi></p>\n'
    yield from context.blocks['body'][0](context)
    yield '<p style="margin:24px 0 0;">'
    yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'closing'))
    yield '<br>'
    yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'signature'))
    yield '</p>\n<hr style="margin:32px 0 16px;border:0;border-top:1px solid #d1d5db;">\n<footer style="font-size:14px;line-height:1.5;color:#4a4a4a;">\n<p style="margin:0 0 8px;">'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'name'))
    yield '</p>\n<p style="margin:0 0 8px;">'
    yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'contact'))
    yield ': <a href="mailto:'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '" style="color:#1d4f91;">'
    yield escape(environment.getattr((undefined(name='organiser') if l_0_organiser is missing else l_0_organiser), 'contact_email'))
    yield '</a></p>\n<p style="margin:0;">'
    yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'reference'))
    yield ': <strong>'
    yield escape((undefined(name='reference') if l_0_reference is missing else l_0_reference))
    yield '</strong> ('
    yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'reference_hint'))
    yield ')</p>\n'
    if (undefined(name='on_behalf_note') if l_0_on_behalf_note is missing else l_0_on_behalf_note):
        pass
        yield '<p style="margin:8px 0 0;">'
        yield escape((undefined(name='on_behalf_note') if l_0_on_behalf_note is missing else l_0_on_behalf_note))
        yield '</p>\n'
    if ((undefined(name='imprint_url') if l_0_imprint_url is missing else l_0_imprint_url) or (undefined(name='privacy_url') if l_0_privacy_url is missing else l_0_privacy_url)):
        pass
        yield '<p style="margin:8px 0 0;">'
        if (undefined(name='imprint_url') if l_0_imprint_url is missing else l_0_imprint_url):
            pass
            yield '<a href="'
            yield escape((undefined(name='imprint_url') if l_0_imprint_url is missing else l_0_imprint_url))
            yield '" style="color:#1d4f91;">'
            yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'imprint'))
            yield '</a>'
        if ((undefined(name='imprint_url') if l_0_imprint_url is missing else l_0_imprint_url) and (undefined(name='privacy_url') if l_0_privacy_url is missing else l_0_privacy_url)):
            pass
            yield ' · '
        if (undefined(name='privacy_url') if l_0_privacy_url is missing else l_0_privacy_url):
            pass
            yield '<a href="'
            yield escape((undefined(name='privacy_url') if l_0_privacy_url is missing else l_0_privacy_url))
            yield '" style="color:#1d4f91;">'
            yield escape(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'privacy_notice'))
            yield '</a>'
        yield '</p>\n'
    yield '</footer>\n</div>\n</body>\n</html>'

def block_heading(context, missing=missing):
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

blocks = {'heading': block_heading, 'body': block_body}
debug_info = '3=22&8=24&11=26&12=30&13=32&14=34&15=36&16=38&19=42&20=44&21=50&22=56&23=59&25=61&26=64&13=84&15=93'