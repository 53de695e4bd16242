"""The stack as infra/template.yaml declares it: reading the template, provisioning it in moto."""
