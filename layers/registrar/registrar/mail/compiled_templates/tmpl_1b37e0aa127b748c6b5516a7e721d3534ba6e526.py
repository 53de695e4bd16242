from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'en/_decision.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_dates = resolve('dates')
    l_0_decision = resolve('decision')
    l_0_venue = resolve('venue')
    pass
    yield 'Dates: '
    yield str((undefined(name='dates') if l_0_dates is missing else l_0_dates))
    yield '\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'some_days_only'):
        pass
        yield 'You attend on:\n'
    for l_1_day in environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'days'):
        _loop_vars = {}
        pass
        yield '- '
        yield str(l_1_day)
        yield '\n'
    l_1_day = missing
    yield 'Venue: '
    yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'place'))
    yield '\n'
    if environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'):
        pass
        yield str(environment.getattr((undefined(name='venue') if l_0_venue is missing else l_0_venue), 'travel_note'))
        yield '\n'
    if environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'sessions'):
        pass
        yield '\nYour workshops:\n'
        for l_1_session in environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'sessions'):
            _loop_vars = {}
            pass
            yield '- '
            yield str(environment.getattr(l_1_session, 'when'))
            yield '\n'
            if environment.getattr(l_1_session, 'workshop_title'):
                pass
                yield '  '
                yield str(environment.getattr(l_1_session, 'workshop_title'))
                yield '\n'
                if environment.getattr(l_1_session, 'room'):
                    pass
                    yield '  '
                    yield str(environment.getattr(l_1_session, 'room'))
                    yield '\n'
            else:
                pass
                yield '  '
                yield str(environment.getattr(l_1_session, 'slot_title'))
                yield ': we will let you know your workshop shortly.\n'
        l_1_session = missing
    for l_1_extra in environment.getattr((undefined(name='decision') if l_0_decision is missing else l_0_decision), 'extras'):
        _loop_vars = {}
        pass
        yield '\n'
        yield str(environment.getattr(l_1_extra, 'title'))
        yield '\n'
        yield str(environment.getattr(l_1_extra, 'when'))
        yield '\n'
        if environment.getattr(l_1_extra, 'has_place'):
            pass
            yield 'You have a place. '
            if environment.getattr(l_1_extra, 'meeting_point'):
                pass
                yield str(environment.getattr(l_1_extra, 'meeting_point'))
            yield '\n'
        else:
            pass
            yield 'You are on the waiting list for “'
            yield str(environment.getattr(l_1_extra, 'title'))
            yield '”. We will let you know if a place becomes available.\n'
    l_1_extra = missing

blocks = {}
debug_info = '2=15&3=17&6=20&7=24&9=28&10=30&11=32&13=34&16=37&17=41&18=43&19=46&20=48&21=51&24=56&28=59&30=63&31=65&32=67&33=70&35=77'