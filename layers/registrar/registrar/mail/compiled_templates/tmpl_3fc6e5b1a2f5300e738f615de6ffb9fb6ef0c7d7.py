from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/substitute_confirm.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('layout.txt.j2', 'de/substitute_confirm.txt.j2')
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
    yield 'Platz übernehmen: Bitte bestätigen Sie Ihre E-Mail-Adresse – „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_substitution = resolve('substitution')
    l_0_conference_title = resolve('conference_title')
    l_0_confirm_url = resolve('confirm_url')
    pass
    yield str(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'holder'))
    yield ' ('
    yield str(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'organisation'))
    yield ') kann an der Veranstaltung „'
    yield str((undefined(name='conference_title') if l_0_conference_title is missing else l_0_conference_title))
    yield '“ nicht teilnehmen und hat Sie als Vertretung benannt. Sie können den zugesagten Platz mit den Workshops übernehmen.\n\n'
    template = environment.get_template('./_decision.txt.j2', 'de/substitute_confirm.txt.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '\n\nUm den Platz zu übernehmen, öffnen Sie bitte bis '
    yield str(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'until'))
    yield ' den folgenden Link und bestätigen Sie dort Ihre E-Mail-Adresse:\n\n'
    yield str((undefined(name='confirm_url') if l_0_confirm_url is missing else l_0_confirm_url))
    yield '\n\nErst mit Ihrer Bestätigung geht der Platz auf Sie über; danach erhalten Sie die Zusage mit Ihrem persönlichen Link. Wenn Sie den Platz nicht übernehmen möchten, ignorieren Sie diese E-Mail bitte: Der Platz bleibt dann bei '
    yield str(environment.getattr((undefined(name='substitution') if l_0_substitution is missing else l_0_substitution), 'holder'))
    yield '.\n'

blocks = {'subject': block_subject, 'body': block_body}
debug_info = '1=12&2=17&3=30&4=41&6=47&8=54&10=56&12=58'