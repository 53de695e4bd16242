from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'macros.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_heading = l_0_button = missing
    pass
    def macro(l_1_text):
        t_1 = []
        if l_1_text is missing:
            l_1_text = undefined("parameter 'text' was not provided", name='text')
        pass
        t_1.extend((
            '<h2 style="margin:28px 0 8px;font-size:18px;line-height:1.3;color:#1a1a1a;">',
            escape(l_1_text),
            '</h2>',
        ))
        return concat(t_1)
    context.exported_vars.add('heading')
    context.vars['heading'] = l_0_heading = Macro(environment, macro, 'heading', ('text',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_url, l_1_label):
        t_2 = []
        if l_1_url is missing:
            l_1_url = undefined("parameter 'url' was not provided", name='url')
        if l_1_label is missing:
            l_1_label = undefined("parameter 'label' was not provided", name='label')
        pass
        t_2.extend((
            '<p style="margin:20px 0 16px;"><a href="',
            escape(l_1_url),
            '" style="display:inline-block;padding:12px 20px;background-color:#1d4f91;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px;">',
            escape(l_1_label),
            '</a></p>',
        ))
        return concat(t_2)
    context.exported_vars.add('button')
    context.vars['button'] = l_0_button = Macro(environment, macro, 'button', ('url', 'label'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '2=12&3=19&8=25&9=34'