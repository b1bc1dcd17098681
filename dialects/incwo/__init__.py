"""The incwo dialect (contacts and firms over XML), mounted at `/incwo/<business_file_id>/`.

Seed: `002_08e9b79223229e52.txt` (incwo's "Contacts" object page: the five
routes, the contact's XML and its code tables). Decisions are in
`docs/incwo.md`.

Quirks reproduced on purpose:

- XML only; the business file in the URL is a project (its id or identifier),
  and only its members reach it (others get 403, an unknown one 404);
- a firm is a company contact: firms are not listed among contacts, and a
  contact's `firm_id` is its company;
- codes are numbers (civility 17/18/19, address types 20..22, item types
  23..554 and 430..457: the seed prints the two numeric lists under each
  other's titles) and words (`client`, `perso`...), see `codes.py`;
- empty values are written `<x></x>`, never `<x/>`; times as `dd-mm-YYYY-HH-MM`;
- lists page with `?page=N`, 100 a page, and carry a `<pagination>` block;
- PUT is partial: nested items and addresses with an `id` are updated, those
  without one are added, the others stay;
- every error is `<errors><error>..</error></errors>` (422 for invalid data).
"""
