def intervention_section(request, intervention):  # replaced below
    return ""
