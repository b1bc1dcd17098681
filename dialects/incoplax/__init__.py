"""The Incoplax (ERA platform) REST v1 address book dialect, mounted at `/rest/v1/addressbook/`.

Seed: `003_37de2fed65a6af1c.txt` (contacts: create, list, get, change, delete and the LOOKUP
verb). Contact groups and `combined_contacts` follow the vendor's entity pages. Decisions are in
`docs/incoplax.md`.

Quirks reproduced on purpose:

- JSON only; create answers 200 (not 201) with the whole entity, change 200, delete 204;
- lists are bare JSON arrays (no envelope, no total); the default `limit` is 1000;
- a contact's `id` is its uuid and `autokey` its database id; neither can be changed;
- phones and emails sit in fixed slots (`number`, `numlocal`, `numpublic`, `mobile`..`mobile3`,
  `roomnum`..`roomnum3`, `email`..`email3`), each one ContactItem (`contacts.slots`);
- groups are tags (`code` = slug); `opts.groups` and `opts.abonents` are two views of one link;
- `LOOKUP` takes a JSON scalar and answers the matching ids, or 404 "Lookup failed";
- every error is `{"error_code": 1000 + status, "error_message": "..."}`;
- times are UTC with two fractional digits: `2019-08-28T11:59:40.75Z`.
"""
