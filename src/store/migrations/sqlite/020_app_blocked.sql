-- Apps: block/allow (issue 21 item 6). A blocked app leaves every connectors dialog and gets no
-- new configurations; the configurations it already has keep posting. INTEGER 0/1 like every
-- flag, so the same statements bind it on both stores.

ALTER TABLE apps ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
