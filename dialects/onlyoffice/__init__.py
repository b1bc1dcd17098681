"""The ONLYOFFICE CRM API v2.0 dialect, from its documented `GET api/2.0/crm/contact/project/{projectid}`.

Mounted at `/api/2.0/`; see docs/onlyoffice.md. Quirks kept on purpose:

- every reply is the envelope `{count, startIndex, nextIndex, total, status, statusCode,
  response, error}` with zero and null members left out; errors are `{"status":1,
  "statusCode":N,"error":{"message":..}}`; every POST answers 201;
- keys are the documented example's PascalCase with a lowercase `id` (the real server writes camelCase);
- XML (`.xml` suffix) is the JSON converted under `<result>`: lists are repeated siblings,
  booleans `True`/`False`;
- authentication is `POST api/2.0/authentication` and then a bare `Authorization: <token>`;
- user ids are GUIDs, contact info types and categories are numeric enums, addresses are
  contact info of type 7 whose data is a JSON string;
- bulk delete is `PUT contact` and deletes answer with the deleted object.
"""
