from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'de/_decision.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_dates = resolve('dates')
    l_0_decision = resolve('decision')
    l_0_venue = resolve('venue')
    l_0_heading = missing
    pass
    included_template = environment.get_template('macros.html.j2', 'de/_decision.html.j2')._get_default_module(context)
    l_0_heading = getattr(included_template, 'heading', missing)
    if l_0_heading is missing:
        l_0_heading = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'de/_decision.html.j2') does not export the requested name 'heading'", name='heading')
    context.vars['heading'] = l_0_heading
    context.exported_vars.discard('heading')
    yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'Termin und Ort'))
    yield '\n<p style="margin:0 0 8px;"><strong>Termin:</strong> '
    yield escape((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield '<br>\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'some_days_only'):
        pass
        yield 'Sie nehmen teil am:<br>\n'
    for l_1_day in environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'days'):
        _loop_vars = {}
        pass
        yield escape(l_1_day)
        yield '<br>\n'
    l_1_day = missing
    yield '<strong>Ort:</strong> '
    yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'place'))
    yield '</p>\n'
    if environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'):
        pass
        yield '<p style="margin:0 0 16px;">'
        yield escape(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'))
        yield '</p>'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'sessions'):
        pass
        yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), 'Ihre Workshops'))
        yield '\n<ul style="margin:0 0 16px;padding-left:20px;">\n'
        for l_1_session in environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'sessions'):
            _loop_vars = {}
            pass
            yield '<li style="margin:0 0 12px;"><strong>'
            yield escape(environment.getattr(l_1_session, 'when'))
            yield '</strong><br>\n'
            if environment.getattr(l_1_session, 'workshop_title'):
                pass
                yield escape(environment.getattr(l_1_session, 'workshop_title'))
                if environment.getattr(l_1_session, 'room'):
                    pass
                    yield '<br>'
                    yield escape(environment.getattr(l_1_session, 'room'))
            else:
                pass
                yield escape(environment.getattr(l_1_session, 'slot_title'))
                yield ': Ihren Workshop teilen wir Ihnen noch mit.\n'
            yield '</li>\n'
        l_1_session = missing
        yield '</ul>\n'
    for l_1_extra in environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'extras'):
        _loop_vars = {}
        pass
        yield escape(context.call((undefined(name='heading') if l_0_heading is missing else l_0_heading), environment.getattr(l_1_extra, 'title'), _loop_vars=_loop_vars))
        yield '\n<p style="margin:0 0 16px;">'
        yield escape(environment.getattr(l_1_extra, 'when'))
        yield '<br>\n'
        if environment.getattr(l_1_extra, 'has_place'):
            pass
            yield '<strong>Sie haben einen Platz.</strong> '
            if environment.getattr(l_1_extra, 'meeting_point'):
                pass
                yield escape(environment.getattr(l_1_extra, 'meeting_point'))
        else:
            pass
            yield 'Für „'
            yield escape(environment.getattr(l_1_extra, 'title'))
            yield '“ stehen Sie auf der Warteliste. Wird ein Platz frei, benachrichtigen wir Sie.\n'
        yield '</p>\n'
    l_1_extra = missing

blocks = {}
debug_info = '2=15&3=21&4=23&5=25&7=28&9=35&10=37&11=42&12=44&14=46&15=50&16=52&17=54&19=61&25=66&26=69&27=71&28=73&29=76&31=82'