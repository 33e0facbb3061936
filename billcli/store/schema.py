"""The ledger schema as numbered migrations; `PRAGMA user_version` is the version.

A ledger is recognised by its `application_id`, written once at creation, so a
foreign SQLite file is never mistaken for a ledger (or written to).
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

APPLICATION_ID = 0x62696C6C  # "bill"

MIGRATIONS: tuple[str, ...] = (
    # 1: customers, their balance ledger, payment methods, events, idempotency, settings.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE customers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        name TEXT, email TEXT, description TEXT, phone TEXT,
        currency TEXT,
        balance INTEGER NOT NULL DEFAULT 0,
        invoice_prefix TEXT NOT NULL UNIQUE,
        next_invoice_sequence INTEGER NOT NULL DEFAULT 1,
        default_payment_method TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX customers_newest ON customers (deleted, created, seq);
    CREATE INDEX customers_by_email ON customers (email, deleted, created, seq);

    CREATE TABLE balance_transactions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount <> 0),
        currency TEXT NOT NULL,
        ending_balance INTEGER NOT NULL,
        type TEXT NOT NULL,
        description TEXT,
        invoice TEXT,
        credit_note TEXT,
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX balance_transactions_by_customer
        ON balance_transactions (customer, created, seq);
    CREATE TRIGGER balance_transactions_immutable
        BEFORE UPDATE OF seq, id, customer, created, amount, currency, ending_balance, type,
                         invoice, credit_note
        ON balance_transactions
    BEGIN
        SELECT RAISE(ABORT, 'balance transactions are immutable: edit description, metadata');
    END;
    CREATE TRIGGER balance_transactions_append_only
        BEFORE DELETE ON balance_transactions
    BEGIN
        SELECT RAISE(ABORT, 'balance transactions cannot be deleted: post a reversing one');
    END;

    CREATE TABLE payment_methods (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        test_name TEXT NOT NULL,
        brand TEXT NOT NULL,
        last4 TEXT NOT NULL
    );
    CREATE INDEX payment_methods_by_customer ON payment_methods (customer);

    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        type TEXT NOT NULL,
        object TEXT NOT NULL,
        previous_attributes TEXT,
        idempotency_key TEXT
    );
    CREATE INDEX events_newest ON events (created, seq);
    CREATE INDEX events_by_type ON events (type, created, seq);

    CREATE TABLE idempotency_keys (
        command TEXT NOT NULL,
        key TEXT NOT NULL,
        params_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created INTEGER NOT NULL,
        UNIQUE (command, key)
    );
    CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created);
    """,
    # 2: invoices, their items and lines, payment attempts, the email outbox.
    """
    CREATE TABLE invoices (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        currency TEXT NOT NULL,
        collection_method TEXT NOT NULL,
        status TEXT NOT NULL,
        auto_advance INTEGER NOT NULL,
        days_until_due INTEGER,
        due_date INTEGER,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        number TEXT UNIQUE,
        subtotal INTEGER NOT NULL,
        total INTEGER NOT NULL,
        amount_due INTEGER NOT NULL,
        amount_paid INTEGER NOT NULL,
        starting_balance INTEGER,
        ending_balance INTEGER,
        attempt_count INTEGER NOT NULL,
        attempted INTEGER NOT NULL,
        next_payment_attempt INTEGER,
        paid_out_of_band INTEGER NOT NULL,
        finalized_at INTEGER,
        paid_at INTEGER,
        voided_at INTEGER,
        marked_uncollectible_at INTEGER,
        page_secret TEXT UNIQUE,
        customer_name TEXT,
        customer_email TEXT,
        customer_phone TEXT,
        billing_reason TEXT NOT NULL
    );
    CREATE INDEX invoices_newest ON invoices (created, seq);
    CREATE INDEX invoices_by_customer ON invoices (customer, created, seq);
    CREATE INDEX invoices_by_status ON invoices (status, created, seq);

    CREATE TABLE invoice_items (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        unit_amount INTEGER,
        description TEXT,
        invoice TEXT REFERENCES invoices (id),
        line_id TEXT UNIQUE,
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX invoice_items_newest ON invoice_items (created, seq);
    CREATE INDEX invoice_items_by_customer ON invoice_items (customer, created, seq);
    CREATE INDEX invoice_items_by_invoice ON invoice_items (invoice, created, seq);

    CREATE TABLE payment_attempts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        invoice TEXT NOT NULL REFERENCES invoices (id),
        created INTEGER NOT NULL,
        payment_method TEXT,
        amount INTEGER NOT NULL,
        succeeded INTEGER NOT NULL,
        automatic INTEGER NOT NULL,
        code TEXT,
        decline_code TEXT
    );
    CREATE INDEX payment_attempts_by_invoice ON payment_attempts (invoice, seq);

    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        "to" TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        invoice TEXT,
        url TEXT
    );
    CREATE INDEX outbox_newest ON outbox (created, seq);
    """,
    # 3: what `invoices tick` looks for (drafts to finalize, payments to attempt), and
    # what shell completion looks up (customers by name).
    """
    CREATE INDEX invoices_to_finalize ON invoices (created, seq)
        WHERE status = 'draft' AND auto_advance = 1;
    CREATE INDEX invoices_to_charge ON invoices (next_payment_attempt, seq)
        WHERE next_payment_attempt IS NOT NULL;
    CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE);
    """,
    # 4: the billing portal: configurations, and sessions kept as hashes of their secrets.
    """
    CREATE TABLE portal_configurations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        active INTEGER NOT NULL,
        is_default INTEGER NOT NULL,
        business_profile TEXT NOT NULL,
        features TEXT NOT NULL,
        default_return_url TEXT,
        login_secret TEXT UNIQUE,
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE UNIQUE INDEX portal_configurations_one_default
        ON portal_configurations (is_default) WHERE is_default = 1;
    CREATE INDEX portal_configurations_newest ON portal_configurations (created, seq);

    CREATE TABLE portal_sessions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        customer TEXT NOT NULL REFERENCES customers (id),
        configuration TEXT NOT NULL REFERENCES portal_configurations (id),
        secret_hash TEXT NOT NULL UNIQUE,
        locale TEXT,
        return_url TEXT,
        visited_at INTEGER,
        cookie_hash TEXT UNIQUE
    );
    """,
    # 5: webhook endpoints, one delivery row per (event, endpoint) with its attempts, and
    # the draft's own finalization instant, which now waits for its webhooks.
    """
    CREATE TABLE webhook_endpoints (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        url TEXT NOT NULL,
        enabled_events TEXT NOT NULL,
        secret TEXT NOT NULL,
        status TEXT NOT NULL,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        previous_secret TEXT,
        previous_secret_expires_at INTEGER,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX webhook_endpoints_newest ON webhook_endpoints (deleted, created, seq);

    CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event TEXT NOT NULL REFERENCES events (id),
        endpoint TEXT NOT NULL REFERENCES webhook_endpoints (id),
        created INTEGER NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER,
        first_attempt_at INTEGER,
        finished_at INTEGER,
        lease_until REAL,
        invoice TEXT,
        UNIQUE (event, endpoint)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq)
        WHERE state = 'pending';
    CREATE INDEX webhook_deliveries_by_invoice ON webhook_deliveries (invoice, state)
        WHERE invoice IS NOT NULL;

    CREATE TABLE webhook_attempts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        created INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT,
        response_excerpt TEXT
    );
    CREATE INDEX webhook_attempts_by_event ON webhook_attempts (event, seq);

    ALTER TABLE invoices ADD COLUMN webhooks_delivered_at INTEGER;
    ALTER TABLE invoices ADD COLUMN finalizes_at INTEGER;
    UPDATE invoices SET webhooks_delivered_at = created;
    UPDATE invoices SET finalizes_at = created + 3600 WHERE status = 'draft';
    DROP INDEX invoices_to_finalize;
    CREATE INDEX invoices_to_finalize ON invoices (finalizes_at, seq)
        WHERE status = 'draft' AND auto_advance = 1;
    """,
    # 6: the catalog (products, prices), subscriptions and their items; invoices and
    # their lines learn which subscription, price and period they bill for.
    """
    CREATE TABLE products (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        name TEXT NOT NULL,
        active INTEGER NOT NULL,
        description TEXT,
        unit_label TEXT,
        statement_descriptor TEXT,
        url TEXT,
        shippable INTEGER,
        default_price TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX products_newest ON products (deleted, created, seq);

    CREATE TABLE prices (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        product TEXT NOT NULL REFERENCES products (id),
        created INTEGER NOT NULL,
        currency TEXT NOT NULL,
        active INTEGER NOT NULL,
        type TEXT NOT NULL,
        billing_scheme TEXT NOT NULL,
        unit_amount INTEGER,
        tiers_mode TEXT,
        tiers TEXT,
        interval TEXT,
        interval_count INTEGER NOT NULL,
        lookup_key TEXT,
        nickname TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        CHECK ((type = 'recurring') = (interval IS NOT NULL))
    );
    CREATE UNIQUE INDEX prices_by_lookup_key ON prices (lookup_key) WHERE lookup_key IS NOT NULL;
    CREATE INDEX prices_newest ON prices (created, seq);
    CREATE INDEX prices_by_product ON prices (product, created, seq);
    CREATE TRIGGER prices_immutable
        BEFORE UPDATE ON prices
        WHEN OLD.id IS NOT NEW.id OR OLD.product IS NOT NEW.product
            OR OLD.created IS NOT NEW.created OR OLD.currency IS NOT NEW.currency
            OR OLD.type IS NOT NEW.type OR OLD.billing_scheme IS NOT NEW.billing_scheme
            OR OLD.unit_amount IS NOT NEW.unit_amount OR OLD.tiers_mode IS NOT NEW.tiers_mode
            OR OLD.tiers IS NOT NEW.tiers OR OLD.interval IS NOT NEW.interval
            OR OLD.interval_count IS NOT NEW.interval_count
    BEGIN
        SELECT RAISE(ABORT, 'price amounts never change: create a new price');
    END;

    CREATE TABLE subscriptions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        currency TEXT NOT NULL,
        interval TEXT NOT NULL,
        interval_count INTEGER NOT NULL,
        status TEXT NOT NULL,
        start_date INTEGER NOT NULL,
        billing_cycle_anchor INTEGER NOT NULL,
        current_period_start INTEGER NOT NULL,
        current_period_end INTEGER NOT NULL,
        collection_method TEXT NOT NULL,
        days_until_due INTEGER,
        trial_start INTEGER,
        trial_end INTEGER,
        cancel_at INTEGER,
        cancel_at_period_end INTEGER NOT NULL,
        canceled_at INTEGER,
        ended_at INTEGER,
        cancellation_reason TEXT,
        cancellation_feedback TEXT,
        cancellation_comment TEXT,
        default_payment_method TEXT,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        latest_invoice TEXT,
        pause_collection TEXT,
        next_action_at INTEGER,
        trial_will_end_sent INTEGER NOT NULL,
        upcoming_sent_for INTEGER
    );
    CREATE INDEX subscriptions_newest ON subscriptions (created, seq);
    CREATE INDEX subscriptions_by_customer ON subscriptions (customer, created, seq);
    CREATE INDEX subscriptions_by_status ON subscriptions (status, created, seq);
    CREATE INDEX subscriptions_due ON subscriptions (next_action_at, seq)
        WHERE next_action_at IS NOT NULL;

    CREATE TABLE subscription_items (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        subscription TEXT NOT NULL REFERENCES subscriptions (id),
        created INTEGER NOT NULL,
        price TEXT NOT NULL REFERENCES prices (id),
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX subscription_items_by_subscription ON subscription_items (subscription, seq);
    CREATE INDEX subscription_items_by_price ON subscription_items (price);

    ALTER TABLE invoices ADD COLUMN subscription TEXT;
    ALTER TABLE invoices ADD COLUMN period_start INTEGER;
    ALTER TABLE invoices ADD COLUMN period_end INTEGER;
    ALTER TABLE invoices ADD COLUMN subscription_metadata TEXT;
    CREATE INDEX invoices_by_subscription ON invoices (subscription, created, seq)
        WHERE subscription IS NOT NULL;

    ALTER TABLE portal_sessions ADD COLUMN flow TEXT;

    ALTER TABLE invoice_items ADD COLUMN type TEXT NOT NULL DEFAULT 'invoiceitem';
    ALTER TABLE invoice_items ADD COLUMN price TEXT;
    ALTER TABLE invoice_items ADD COLUMN subscription TEXT;
    ALTER TABLE invoice_items ADD COLUMN subscription_item TEXT;
    ALTER TABLE invoice_items ADD COLUMN proration INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE invoice_items ADD COLUMN period_start INTEGER;
    ALTER TABLE invoice_items ADD COLUMN period_end INTEGER;
    """,
    # 7: coupons, discounts and credit notes.
    """
    CREATE TABLE coupons (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        duration TEXT NOT NULL,
        percent_off REAL,
        amount_off INTEGER,
        currency TEXT,
        duration_in_months INTEGER,
        max_redemptions INTEGER,
        redeem_by INTEGER,
        times_redeemed INTEGER NOT NULL DEFAULT 0,
        name TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX coupons_newest ON coupons (created, seq);

    CREATE TABLE discounts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        coupon TEXT NOT NULL REFERENCES coupons (id),
        start INTEGER NOT NULL,
        customer TEXT NOT NULL REFERENCES customers (id),
        subscription TEXT REFERENCES subscriptions (id),
        invoice TEXT,
        "end" INTEGER,
        ended_at INTEGER
    );
    CREATE INDEX discounts_by_coupon ON discounts (coupon, seq);
    CREATE INDEX discounts_by_invoice ON discounts (invoice) WHERE invoice IS NOT NULL;

    ALTER TABLE customers ADD COLUMN discount TEXT;
    ALTER TABLE subscriptions ADD COLUMN discount TEXT;
    ALTER TABLE invoices ADD COLUMN discount TEXT;
    ALTER TABLE invoices ADD COLUMN pre_payment_credit_notes_amount INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE invoices ADD COLUMN post_payment_credit_notes_amount INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE invoice_items ADD COLUMN discount_amount INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE credit_notes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        invoice TEXT NOT NULL REFERENCES invoices (id),
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        number TEXT NOT NULL UNIQUE,
        currency TEXT NOT NULL,
        type TEXT NOT NULL,
        subtotal INTEGER NOT NULL,
        discount_amount INTEGER NOT NULL,
        total INTEGER NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        memo TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        credit_amount INTEGER NOT NULL,
        customer_balance_transaction TEXT,
        refund_amount INTEGER NOT NULL,
        refund TEXT,
        out_of_band_amount INTEGER NOT NULL,
        discount TEXT,
        voided_at INTEGER
    );
    CREATE INDEX credit_notes_newest ON credit_notes (created, seq);
    CREATE INDEX credit_notes_by_invoice ON credit_notes (invoice, created, seq);
    CREATE INDEX credit_notes_by_customer ON credit_notes (customer, created, seq);

    CREATE TABLE credit_note_lines (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        credit_note TEXT NOT NULL REFERENCES credit_notes (id),
        created INTEGER NOT NULL,
        type TEXT NOT NULL,
        amount INTEGER NOT NULL,
        discount_amount INTEGER NOT NULL,
        invoice_line_item TEXT,
        quantity INTEGER,
        unit_amount INTEGER,
        description TEXT
    );
    CREATE INDEX credit_note_lines_by_note ON credit_note_lines (credit_note, seq);
    CREATE INDEX credit_note_lines_by_line ON credit_note_lines (invoice_line_item)
        WHERE invoice_line_item IS NOT NULL;
    """,
    # 8: search. Substring fields in FTS5 trigram indexes and metadata pairs in a table,
    # both kept by triggers in the writing transaction; a key that signs page tokens.
    """
    DROP INDEX customers_by_email;
    CREATE INDEX customers_by_email ON customers (email COLLATE NOCASE, deleted, created, seq);
    DROP INDEX customers_by_name;
    CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE, deleted, created, seq);
    -- The shape of the data, for the query planner: half the rows per `deleted` value, a
    -- handful per name or email. Without it SQLite takes `deleted = 0` for a selective
    -- filter and reads a million customers in date order to find one email.
    ANALYZE sqlite_schema;
    INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('customers', 'customers_newest', '1000000 500000 2 1'),
        ('customers', 'customers_by_email', '1000000 2 2 1 1'),
        ('customers', 'customers_by_name', '1000000 4 4 1 1'),
        ('products', 'products_newest', '10000 5000 2 1');
    CREATE TABLE search_metadata (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        row INTEGER NOT NULL,
        PRIMARY KEY (kind, key, value, row)
    ) WITHOUT ROWID;
    CREATE INDEX search_metadata_by_row ON search_metadata (kind, row);
    INSERT INTO meta (key, value) VALUES ('search.page_key', lower(hex(randomblob(32))));

    CREATE VIRTUAL TABLE customers_fts USING fts5(
        name, email, phone, tokenize = 'trigram', content = 'customers', content_rowid = 'seq'
    );
    INSERT INTO customers_fts (rowid, name, email, phone)
        SELECT seq, name, email, phone FROM customers;
    CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.customers'),
        new.seq + 1
    ) BEGIN
        INSERT INTO customers_fts (rowid, name, email, phone)
            VALUES (new.seq, new.name, new.email, new.phone);
    END;
    CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers
    WHEN old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.customers'),
        old.seq + 1
    ) BEGIN
        INSERT INTO customers_fts (customers_fts, rowid, name, email, phone)
            VALUES ('delete', old.seq, old.name, old.email, old.phone);
    END;
    CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, email, phone ON customers
    WHEN (old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone)
    AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.customers'),
        old.seq + 1
    ) BEGIN
        INSERT INTO customers_fts (customers_fts, rowid, name, email, phone)
            VALUES ('delete', old.seq, old.name, old.email, old.phone);
        INSERT INTO customers_fts (rowid, name, email, phone)
            VALUES (new.seq, new.name, new.email, new.phone);
    END;

    CREATE VIRTUAL TABLE invoices_fts USING fts5(
        number, tokenize = 'trigram', content = 'invoices', content_rowid = 'seq'
    );
    INSERT INTO invoices_fts (rowid, number) SELECT seq, number FROM invoices;
    CREATE TRIGGER invoices_fts_insert AFTER INSERT ON invoices
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.invoices'),
        new.seq + 1
    ) BEGIN
        INSERT INTO invoices_fts (rowid, number) VALUES (new.seq, new.number);
    END;
    CREATE TRIGGER invoices_fts_delete AFTER DELETE ON invoices
    WHEN old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.invoices'),
        old.seq + 1
    ) BEGIN
        INSERT INTO invoices_fts (invoices_fts, rowid, number)
            VALUES ('delete', old.seq, old.number);
    END;
    CREATE TRIGGER invoices_fts_update AFTER UPDATE OF number ON invoices
    WHEN (old.number IS NOT new.number)
    AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.invoices'),
        old.seq + 1
    ) BEGIN
        INSERT INTO invoices_fts (invoices_fts, rowid, number)
            VALUES ('delete', old.seq, old.number);
        INSERT INTO invoices_fts (rowid, number) VALUES (new.seq, new.number);
    END;

    CREATE VIRTUAL TABLE products_fts USING fts5(
        name, description, url, tokenize = 'trigram', content = 'products', content_rowid = 'seq'
    );
    INSERT INTO products_fts (rowid, name, description, url)
        SELECT seq, name, description, url FROM products;
    CREATE TRIGGER products_fts_insert AFTER INSERT ON products
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.products'),
        new.seq + 1
    ) BEGIN
        INSERT INTO products_fts (rowid, name, description, url)
            VALUES (new.seq, new.name, new.description, new.url);
    END;
    CREATE TRIGGER products_fts_delete AFTER DELETE ON products
    WHEN old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.products'),
        old.seq + 1
    ) BEGIN
        INSERT INTO products_fts (products_fts, rowid, name, description, url)
            VALUES ('delete', old.seq, old.name, old.description, old.url);
    END;
    CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description, url ON products
    WHEN (old.name IS NOT new.name
        OR old.description IS NOT new.description
        OR old.url IS NOT new.url)
    AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.products'),
        old.seq + 1
    ) BEGIN
        INSERT INTO products_fts (products_fts, rowid, name, description, url)
            VALUES ('delete', old.seq, old.name, old.description, old.url);
        INSERT INTO products_fts (rowid, name, description, url)
            VALUES (new.seq, new.name, new.description, new.url);
    END;

    CREATE VIRTUAL TABLE prices_fts USING fts5(
        lookup_key, tokenize = 'trigram', content = 'prices', content_rowid = 'seq'
    );
    INSERT INTO prices_fts (rowid, lookup_key) SELECT seq, lookup_key FROM prices;
    CREATE TRIGGER prices_fts_insert AFTER INSERT ON prices
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.prices'),
        new.seq + 1
    ) BEGIN
        INSERT INTO prices_fts (rowid, lookup_key) VALUES (new.seq, new.lookup_key);
    END;
    CREATE TRIGGER prices_fts_delete AFTER DELETE ON prices
    WHEN old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.prices'),
        old.seq + 1
    ) BEGIN
        INSERT INTO prices_fts (prices_fts, rowid, lookup_key)
            VALUES ('delete', old.seq, old.lookup_key);
    END;
    CREATE TRIGGER prices_fts_update AFTER UPDATE OF lookup_key ON prices
    WHEN (old.lookup_key IS NOT new.lookup_key)
    AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.prices'),
        old.seq + 1
    ) BEGIN
        INSERT INTO prices_fts (prices_fts, rowid, lookup_key)
            VALUES ('delete', old.seq, old.lookup_key);
        INSERT INTO prices_fts (rowid, lookup_key) VALUES (new.seq, new.lookup_key);
    END;

    INSERT INTO search_metadata (kind, key, value, row)
        SELECT 'customer', j.key, j.value, t.seq FROM customers AS t, json_each(t.metadata) AS j;
    CREATE TRIGGER customers_metadata_insert AFTER INSERT ON customers
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.customers'),
        new.seq + 1
    ) BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'customer', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER customers_metadata_update AFTER UPDATE OF metadata ON customers
    WHEN old.metadata IS NOT new.metadata AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.customers'),
        old.seq + 1
    ) BEGIN
        DELETE FROM search_metadata WHERE kind = 'customer' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'customer', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER customers_metadata_delete AFTER DELETE ON customers BEGIN
        DELETE FROM search_metadata WHERE kind = 'customer' AND row = old.seq;
    END;

    INSERT INTO search_metadata (kind, key, value, row)
        SELECT 'invoice', j.key, j.value, t.seq FROM invoices AS t, json_each(t.metadata) AS j;
    CREATE TRIGGER invoices_metadata_insert AFTER INSERT ON invoices
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.invoices'),
        new.seq + 1
    ) BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'invoice', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER invoices_metadata_update AFTER UPDATE OF metadata ON invoices
    WHEN old.metadata IS NOT new.metadata AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.invoices'),
        old.seq + 1
    ) BEGIN
        DELETE FROM search_metadata WHERE kind = 'invoice' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'invoice', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER invoices_metadata_delete AFTER DELETE ON invoices BEGIN
        DELETE FROM search_metadata WHERE kind = 'invoice' AND row = old.seq;
    END;

    INSERT INTO search_metadata (kind, key, value, row)
        SELECT 'subscription', j.key, j.value, t.seq
        FROM subscriptions AS t, json_each(t.metadata) AS j;
    CREATE TRIGGER subscriptions_metadata_insert AFTER INSERT ON subscriptions
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.subscriptions'),
        new.seq + 1
    ) BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'subscription', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER subscriptions_metadata_update AFTER UPDATE OF metadata ON subscriptions
    WHEN old.metadata IS NOT new.metadata AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.subscriptions'),
        old.seq + 1
    ) BEGIN
        DELETE FROM search_metadata WHERE kind = 'subscription' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'subscription', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER subscriptions_metadata_delete AFTER DELETE ON subscriptions BEGIN
        DELETE FROM search_metadata WHERE kind = 'subscription' AND row = old.seq;
    END;

    INSERT INTO search_metadata (kind, key, value, row)
        SELECT 'product', j.key, j.value, t.seq FROM products AS t, json_each(t.metadata) AS j;
    CREATE TRIGGER products_metadata_insert AFTER INSERT ON products
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.products'),
        new.seq + 1
    ) BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'product', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER products_metadata_update AFTER UPDATE OF metadata ON products
    WHEN old.metadata IS NOT new.metadata AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.products'),
        old.seq + 1
    ) BEGIN
        DELETE FROM search_metadata WHERE kind = 'product' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'product', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER products_metadata_delete AFTER DELETE ON products BEGIN
        DELETE FROM search_metadata WHERE kind = 'product' AND row = old.seq;
    END;

    INSERT INTO search_metadata (kind, key, value, row)
        SELECT 'price', j.key, j.value, t.seq FROM prices AS t, json_each(t.metadata) AS j;
    CREATE TRIGGER prices_metadata_insert AFTER INSERT ON prices
    WHEN new.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.prices'),
        new.seq + 1
    ) BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'price', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER prices_metadata_update AFTER UPDATE OF metadata ON prices
    WHEN old.metadata IS NOT new.metadata AND old.seq < coalesce(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search.deferred.prices'),
        old.seq + 1
    ) BEGIN
        DELETE FROM search_metadata WHERE kind = 'price' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'price', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER prices_metadata_delete AFTER DELETE ON prices BEGIN
        DELETE FROM search_metadata WHERE kind = 'price' AND row = old.seq;
    END;
    """,
    # 9: reports. Each subscription's monthly recurring revenue as it changed (the
    # latest row at an instant is its MRR then), so a past month's MRR never depends on
    # what happened since. Subscriptions of earlier ledgers start with their state now,
    # per-unit prices normalized to a month (the history before it was not kept).
    """
    CREATE TABLE subscription_mrr (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription TEXT NOT NULL REFERENCES subscriptions (id),
        customer TEXT NOT NULL,
        currency TEXT NOT NULL,
        at INTEGER NOT NULL,
        mrr INTEGER NOT NULL,
        discount_hundredths INTEGER,
        discount_monthly INTEGER,
        discount_end INTEGER
    );
    CREATE INDEX subscription_mrr_by_subscription ON subscription_mrr (subscription, at, seq);
    INSERT INTO subscription_mrr (subscription, customer, currency, at, mrr)
        SELECT s.id, s.customer, s.currency, s.created,
            CASE WHEN s.status IN ('active', 'past_due') AND s.pause_collection IS NULL
            THEN coalesce((
                SELECT sum((2 * p.unit_amount * i.quantity * CASE p.interval
                        WHEN 'year' THEN 1 WHEN 'week' THEN 52 WHEN 'day' THEN 365 ELSE 1 END
                    + CASE p.interval WHEN 'month' THEN 1 ELSE 12 END * p.interval_count)
                    / (2 * CASE p.interval WHEN 'month' THEN 1 ELSE 12 END * p.interval_count))
                FROM subscription_items AS i JOIN prices AS p ON p.id = i.price
                WHERE i.subscription = s.id AND p.unit_amount IS NOT NULL), 0)
            ELSE 0 END
        FROM subscriptions AS s;
    """,
    # 10: payments. Payment methods may belong to no customer (a test token used once, or
    # detached); payment intents (one per invoice), charges, refunds, setup intents. An
    # earlier ledger is brought along: each invoice with card attempts or money still due
    # gets its intent, each attempt at a card becomes a charge (a test card named on
    # `invoices pay` becomes a payment method of nobody, as using a token makes one in
    # Stripe), each credit note's refund becomes a refund of the invoice's charge.
    """
    CREATE TABLE payment_methods_v10 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT REFERENCES customers (id),
        created INTEGER NOT NULL,
        test_name TEXT NOT NULL,
        brand TEXT NOT NULL,
        last4 TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        billing_details TEXT,
        set_up INTEGER NOT NULL DEFAULT 0,
        detached_at INTEGER
    );
    INSERT INTO payment_methods_v10 (seq, id, customer, created, test_name, brand, last4)
        SELECT seq, id, customer, created, test_name, brand, last4 FROM payment_methods;
    DROP TABLE payment_methods;
    ALTER TABLE payment_methods_v10 RENAME TO payment_methods;
    CREATE INDEX payment_methods_by_customer ON payment_methods (customer, created, seq);
    CREATE INDEX payment_methods_newest ON payment_methods (created, seq);

    CREATE TABLE payment_intents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        currency TEXT NOT NULL,
        status TEXT NOT NULL,
        client_secret TEXT NOT NULL UNIQUE,
        customer TEXT REFERENCES customers (id),
        invoice TEXT UNIQUE REFERENCES invoices (id),
        payment_method TEXT,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        latest_charge TEXT,
        last_payment_error TEXT,
        action_secret TEXT UNIQUE,
        off_session INTEGER NOT NULL DEFAULT 0,
        return_url TEXT,
        setup_future_usage TEXT,
        amount_received INTEGER NOT NULL DEFAULT 0,
        canceled_at INTEGER,
        cancellation_reason TEXT,
        shipping TEXT
    );
    CREATE INDEX payment_intents_newest ON payment_intents (created, seq);
    CREATE INDEX payment_intents_by_customer ON payment_intents (customer, created, seq);

    CREATE TABLE charges (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        currency TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
        test_name TEXT NOT NULL,
        customer TEXT REFERENCES customers (id),
        payment_intent TEXT REFERENCES payment_intents (id),
        invoice TEXT REFERENCES invoices (id),
        payment_method TEXT,
        failure_code TEXT,
        decline_code TEXT,
        authenticated INTEGER NOT NULL DEFAULT 0,
        amount_refunded INTEGER NOT NULL DEFAULT 0
            CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX charges_newest ON charges (created, seq);
    CREATE INDEX charges_by_customer ON charges (customer, created, seq);
    CREATE INDEX charges_by_intent ON charges (payment_intent, created, seq);
    CREATE INDEX charges_by_invoice ON charges (invoice);
    CREATE TRIGGER charges_immutable BEFORE UPDATE ON charges
    WHEN old.id IS NOT new.id OR old.created IS NOT new.created OR old.amount IS NOT new.amount
        OR old.currency IS NOT new.currency OR old.status IS NOT new.status
        OR old.payment_intent IS NOT new.payment_intent OR old.invoice IS NOT new.invoice
        OR old.customer IS NOT new.customer OR old.failure_code IS NOT new.failure_code
    BEGIN
        SELECT RAISE(ABORT, 'charges are immutable: only refunds, description, metadata change');
    END;
    CREATE TRIGGER charges_append_only BEFORE DELETE ON charges
    BEGIN
        SELECT RAISE(ABORT, 'charges cannot be deleted: refund them');
    END;

    CREATE TABLE refunds (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        currency TEXT NOT NULL,
        charge TEXT NOT NULL REFERENCES charges (id),
        payment_intent TEXT,
        status TEXT NOT NULL,
        reason TEXT,
        credit_note TEXT REFERENCES credit_notes (id),
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX refunds_newest ON refunds (created, seq);
    CREATE INDEX refunds_by_charge ON refunds (charge, created, seq);
    CREATE TRIGGER refunds_within_charge BEFORE INSERT ON refunds
    WHEN (SELECT status FROM charges WHERE id = new.charge) IS NOT 'succeeded'
        OR new.amount + coalesce((SELECT sum(amount) FROM refunds WHERE charge = new.charge), 0)
            > (SELECT amount FROM charges WHERE id = new.charge)
    BEGIN
        SELECT RAISE(ABORT, 'a refund cannot exceed what remains of a succeeded charge');
    END;

    CREATE TABLE setup_intents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        status TEXT NOT NULL,
        usage TEXT NOT NULL,
        client_secret TEXT NOT NULL UNIQUE,
        customer TEXT REFERENCES customers (id),
        payment_method TEXT,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        last_setup_error TEXT,
        action_secret TEXT UNIQUE,
        return_url TEXT,
        cancellation_reason TEXT
    );
    CREATE INDEX setup_intents_newest ON setup_intents (created, seq);
    CREATE INDEX setup_intents_by_customer ON setup_intents (customer, created, seq);

    ALTER TABLE invoices ADD COLUMN payment_intent TEXT;
    ALTER TABLE invoices ADD COLUMN charge TEXT;
    ALTER TABLE payment_attempts ADD COLUMN payment_intent TEXT;
    ALTER TABLE payment_attempts ADD COLUMN charge TEXT;

    CREATE TRIGGER charges_metadata_insert AFTER INSERT ON charges
    WHEN new.metadata <> '{}' BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'charge', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER charges_metadata_update AFTER UPDATE OF metadata ON charges
    WHEN old.metadata IS NOT new.metadata BEGIN
        DELETE FROM search_metadata WHERE kind = 'charge' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'charge', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER payment_intents_metadata_insert AFTER INSERT ON payment_intents
    WHEN new.metadata <> '{}' BEGIN
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'payment_intent', key, value, new.seq FROM json_each(new.metadata);
    END;
    CREATE TRIGGER payment_intents_metadata_update AFTER UPDATE OF metadata ON payment_intents
    WHEN old.metadata IS NOT new.metadata BEGIN
        DELETE FROM search_metadata WHERE kind = 'payment_intent' AND row = old.seq;
        INSERT INTO search_metadata (kind, key, value, row)
            SELECT 'payment_intent', key, value, new.seq FROM json_each(new.metadata);
    END;

    CREATE TEMP TABLE v10_cards (name TEXT PRIMARY KEY, brand TEXT, last4 TEXT);
    INSERT INTO v10_cards VALUES
        ('pm_card_visa', 'visa', '4242'), ('pm_card_mastercard', 'mastercard', '4444'),
        ('pm_card_amex', 'amex', '8431'), ('pm_card_chargeCustomerFail', 'visa', '0341'),
        ('pm_card_visa_chargeDeclined', 'visa', '0002'), ('pm_card_chargeDeclined', 'visa', '0002'),
        ('pm_card_visa_chargeDeclinedInsufficientFunds', 'visa', '9995'),
        ('pm_card_chargeDeclinedInsufficientFunds', 'visa', '9995'),
        ('pm_card_visa_chargeDeclinedLostCard', 'visa', '9987'),
        ('pm_card_chargeDeclinedLostCard', 'visa', '9987'),
        ('pm_card_visa_chargeDeclinedStolenCard', 'visa', '9979'),
        ('pm_card_chargeDeclinedStolenCard', 'visa', '9979'),
        ('pm_card_chargeDeclinedExpiredCard', 'visa', '0069'),
        ('pm_card_chargeDeclinedIncorrectCvc', 'visa', '0127'),
        ('pm_card_chargeDeclinedProcessingError', 'visa', '0119'),
        ('pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'visa', '6975');
    CREATE TEMP TABLE v10_attempts AS
        SELECT a.seq AS attempt, a.invoice, a.created, a.amount, a.succeeded, a.code,
            a.decline_code, a.payment_method AS given,
            CASE WHEN m.id IS NULL THEN 'pm_' || hex(randomblob(12)) END AS made_pm,
            coalesce(m.test_name, a.payment_method) AS test_name,
            'ch_' || hex(randomblob(12)) AS charge
        FROM payment_attempts AS a LEFT JOIN payment_methods AS m ON m.id = a.payment_method
        WHERE a.payment_method IS NOT NULL AND a.amount > 0;
    INSERT INTO payment_methods (id, customer, created, test_name, brand, last4)
        SELECT t.made_pm, NULL, t.created, t.given, c.brand, c.last4
        FROM v10_attempts AS t JOIN v10_cards AS c ON c.name = t.given
        WHERE t.made_pm IS NOT NULL ORDER BY t.attempt;
    CREATE TEMP TABLE v10_intents AS
        SELECT i.id AS invoice, 'pi_' || hex(randomblob(12)) AS intent,
            lower(hex(randomblob(16))) AS secret,
            (SELECT t.attempt FROM v10_attempts AS t WHERE t.invoice = i.id
                ORDER BY t.succeeded DESC, t.attempt DESC LIMIT 1) AS decisive
        FROM invoices AS i
        WHERE i.id IN (SELECT invoice FROM v10_attempts)
            OR (i.status IN ('open', 'uncollectible') AND i.amount_due > i.amount_paid);
    INSERT INTO payment_intents (id, created, amount, currency, status, client_secret,
            customer, invoice, payment_method, description, amount_received, canceled_at,
            cancellation_reason)
        SELECT v.intent, coalesce(i.finalized_at, i.created),
            coalesce(t.amount, i.amount_due - i.amount_paid), i.currency,
            CASE WHEN t.succeeded THEN 'succeeded'
                WHEN i.status IN ('void', 'paid') THEN 'canceled'
                ELSE 'requires_payment_method' END,
            v.intent || '_secret_' || v.secret, i.customer, i.id,
            CASE WHEN t.succeeded THEN coalesce(t.made_pm, t.given) END,
            CASE i.billing_reason WHEN 'subscription_create' THEN 'Subscription creation'
                WHEN 'subscription_update' THEN 'Subscription update'
                ELSE 'Payment for Invoice' END,
            CASE WHEN t.succeeded THEN t.amount ELSE 0 END,
            CASE WHEN t.succeeded THEN NULL WHEN i.status = 'void' THEN i.voided_at
                WHEN i.status = 'paid' THEN i.paid_at END,
            CASE WHEN t.succeeded THEN NULL WHEN i.status = 'void' THEN 'void_invoice' END
        FROM v10_intents AS v JOIN invoices AS i ON i.id = v.invoice
        LEFT JOIN v10_attempts AS t ON t.attempt = v.decisive
        ORDER BY i.seq;
    INSERT INTO charges (id, created, amount, currency, status, test_name, customer,
            payment_intent, invoice, payment_method, failure_code, decline_code)
        SELECT t.charge, t.created, t.amount, i.currency,
            CASE WHEN t.succeeded THEN 'succeeded' ELSE 'failed' END, t.test_name, i.customer,
            v.intent, t.invoice, coalesce(t.made_pm, t.given),
            CASE WHEN t.succeeded THEN NULL ELSE t.code END,
            CASE WHEN t.succeeded THEN NULL ELSE t.decline_code END
        FROM v10_attempts AS t JOIN invoices AS i ON i.id = t.invoice
        JOIN v10_intents AS v ON v.invoice = t.invoice
        ORDER BY t.attempt;
    UPDATE payment_intents SET latest_charge = (
        SELECT c.id FROM charges AS c WHERE c.payment_intent = payment_intents.id
        ORDER BY c.created DESC, c.seq DESC LIMIT 1);
    UPDATE payment_intents SET last_payment_error = (
        SELECT json_object('type', 'card_error', 'code', c.failure_code,
            'decline_code', c.decline_code, 'charge', c.id,
            'doc_url', 'https://stripe.com/docs/error-codes/' || replace(c.failure_code, '_', '-'),
            'message', CASE coalesce(c.decline_code, c.failure_code)
                WHEN 'insufficient_funds' THEN 'Your card has insufficient funds.'
                WHEN 'expired_card' THEN 'Your card has expired.'
                WHEN 'incorrect_cvc' THEN 'Your card''s security code is incorrect.'
                WHEN 'processing_error' THEN
                    'An error occurred while processing your card. Try again in a little bit.'
                ELSE 'Your card was declined.' END)
        FROM charges AS c WHERE c.id = payment_intents.latest_charge AND c.status = 'failed')
    WHERE status = 'requires_payment_method';
    UPDATE payment_attempts SET
        charge = (SELECT t.charge FROM v10_attempts AS t WHERE t.attempt = payment_attempts.seq),
        payment_intent = (
            SELECT v.intent FROM v10_intents AS v WHERE v.invoice = payment_attempts.invoice);
    UPDATE invoices SET
        payment_intent = (SELECT v.intent FROM v10_intents AS v WHERE v.invoice = invoices.id),
        charge = (SELECT p.latest_charge FROM payment_intents AS p WHERE p.invoice = invoices.id);
    INSERT INTO refunds (id, created, amount, currency, charge, payment_intent, status, reason,
            credit_note)
        SELECT n.refund, n.created, n.refund_amount, n.currency, c.id, c.payment_intent,
            'succeeded', CASE WHEN n.reason IN ('duplicate', 'fraudulent') THEN n.reason END, n.id
        FROM credit_notes AS n
        JOIN charges AS c ON c.invoice = n.invoice AND c.status = 'succeeded'
        WHERE n.refund IS NOT NULL AND n.refund_amount > 0
        ORDER BY n.seq;
    UPDATE charges SET amount_refunded = (
        SELECT coalesce(sum(r.amount), 0) FROM refunds AS r WHERE r.charge = charges.id);
    DROP TABLE v10_cards;
    DROP TABLE v10_attempts;
    DROP TABLE v10_intents;
    """,
    # 11: prorations net of discounts (Stripe's `proration_discounts: included`): the
    # discount a proration's amount is net of and what it took off; and the lines that
    # billed a subscription item, found by that item (a credit for unused time is the
    # part of them that falls in it). Earlier prorations took no discount.
    """
    ALTER TABLE invoice_items ADD COLUMN proration_discount TEXT;
    ALTER TABLE invoice_items ADD COLUMN proration_discount_amount INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX invoice_items_by_subscription_item ON invoice_items (subscription_item)
        WHERE subscription_item IS NOT NULL;
    """,
    # 12: every documented request parameter as a field: customers' postal details,
    # locales, tax exemption and invoice settings; what invoices print (custom fields,
    # footer, rendering), their snapshot of the customer's postal details, revisions.
    """
    ALTER TABLE customers ADD COLUMN address TEXT;
    ALTER TABLE customers ADD COLUMN shipping TEXT;
    ALTER TABLE customers ADD COLUMN preferred_locales TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE customers ADD COLUMN tax_exempt TEXT NOT NULL DEFAULT 'none'
        CHECK (tax_exempt IN ('none', 'exempt', 'reverse'));
    ALTER TABLE customers ADD COLUMN business_name TEXT;
    ALTER TABLE customers ADD COLUMN individual_name TEXT;
    ALTER TABLE customers ADD COLUMN invoice_custom_fields TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE customers ADD COLUMN invoice_footer TEXT;
    ALTER TABLE customers ADD COLUMN invoice_rendering TEXT;

    ALTER TABLE invoices ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE invoices ADD COLUMN footer TEXT;
    ALTER TABLE invoices ADD COLUMN rendering TEXT;
    ALTER TABLE invoices ADD COLUMN customer_address TEXT;
    ALTER TABLE invoices ADD COLUMN customer_shipping TEXT;
    ALTER TABLE invoices ADD COLUMN customer_tax_exempt TEXT;
    ALTER TABLE invoices ADD COLUMN shipping_details TEXT;
    ALTER TABLE invoices ADD COLUMN statement_descriptor TEXT;
    ALTER TABLE invoices ADD COLUMN effective_at INTEGER;
    ALTER TABLE invoices ADD COLUMN default_payment_method TEXT;
    ALTER TABLE invoices ADD COLUMN payment_settings TEXT;
    ALTER TABLE invoices ADD COLUMN chosen_finalization INTEGER;

    ALTER TABLE products ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE products ADD COLUMN marketing_features TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE products ADD COLUMN package_dimensions TEXT;
    ALTER TABLE prices ADD COLUMN currency_options TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE prices ADD COLUMN transform_quantity TEXT;
    ALTER TABLE prices ADD COLUMN trial_period_days INTEGER;
    ALTER TABLE coupons ADD COLUMN applies_to TEXT;
    ALTER TABLE coupons ADD COLUMN currency_options TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE discounts ADD COLUMN invoice_item TEXT;
    ALTER TABLE webhook_endpoints ADD COLUMN api_version TEXT;
    ALTER TABLE credit_notes ADD COLUMN effective_at INTEGER;
    ALTER TABLE portal_configurations ADD COLUMN name TEXT;
    ALTER TABLE payment_intents ADD COLUMN receipt_email TEXT;
    ALTER TABLE payment_intents ADD COLUMN statement_descriptor TEXT;
    ALTER TABLE payment_intents ADD COLUMN statement_descriptor_suffix TEXT;
    ALTER TABLE payment_intents ADD COLUMN payment_method_options TEXT;
    ALTER TABLE payment_intents ADD COLUMN automatic_payment_methods TEXT;
    ALTER TABLE charges ADD COLUMN receipt_email TEXT;
    ALTER TABLE charges ADD COLUMN shipping TEXT;
    DROP TRIGGER charges_immutable;
    CREATE TRIGGER charges_immutable BEFORE UPDATE ON charges
    WHEN old.id IS NOT new.id OR old.created IS NOT new.created OR old.amount IS NOT new.amount
        OR old.currency IS NOT new.currency OR old.status IS NOT new.status
        OR old.payment_intent IS NOT new.payment_intent OR old.invoice IS NOT new.invoice
        OR (old.customer IS NOT NULL AND old.customer IS NOT new.customer)
        OR old.failure_code IS NOT new.failure_code
    BEGIN
        SELECT RAISE(ABORT, 'charges are immutable: only refunds, description, metadata change');
    END;
    ALTER TABLE setup_intents ADD COLUMN payment_method_options TEXT;
    ALTER TABLE payment_methods ADD COLUMN allow_redisplay TEXT NOT NULL DEFAULT 'unspecified'
        CHECK (allow_redisplay IN ('always', 'limited', 'unspecified'));
    ALTER TABLE setup_intents ADD COLUMN automatic_payment_methods TEXT;
    ALTER TABLE subscriptions ADD COLUMN trial_missing_payment_method TEXT NOT NULL
        DEFAULT 'create_invoice'
        CHECK (trial_missing_payment_method IN ('create_invoice', 'pause', 'cancel'));
    ALTER TABLE subscriptions ADD COLUMN pending_invoice_item_interval TEXT;
    ALTER TABLE subscriptions ADD COLUMN next_pending_invoice_item_invoice INTEGER;
    ALTER TABLE subscriptions ADD COLUMN payment_settings TEXT;
    ALTER TABLE subscriptions ADD COLUMN off_session INTEGER;
    ALTER TABLE invoice_items ADD COLUMN discountable_choice INTEGER;
    ALTER TABLE invoice_items ADD COLUMN item_discounts TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE invoice_items ADD COLUMN item_discount_amount INTEGER NOT NULL DEFAULT 0;

    CREATE TRIGGER prices_transform_immutable
        BEFORE UPDATE ON prices
        WHEN OLD.transform_quantity IS NOT NEW.transform_quantity
            OR OLD.trial_period_days IS NOT NEW.trial_period_days
    BEGIN
        SELECT RAISE(ABORT, 'price amounts never change: create a new price');
    END;
    ALTER TABLE invoices ADD COLUMN from_invoice TEXT REFERENCES invoices (id);
    ALTER TABLE invoices ADD COLUMN latest_revision TEXT REFERENCES invoices (id);
    """,
    # 13: test clocks. A customer lives on one for good (NULL: the ledger clock), and its
    # invoices, invoice items and subscriptions carry that clock in a column the ledger
    # fills itself on insert (no code path can forget it), so that what a clock's
    # advance or the ledger's tick finds due is one index range. Earlier ledgers have
    # every customer on the ledger clock.
    """
    CREATE TABLE test_clocks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        deletes_after INTEGER NOT NULL,
        frozen_time INTEGER NOT NULL,
        name TEXT,
        status TEXT NOT NULL CHECK (status IN ('ready', 'advancing', 'internal_failure')),
        target_frozen_time INTEGER,
        advanced_by TEXT,
        lease_until REAL,
        deleted INTEGER NOT NULL DEFAULT 0,
        CHECK ((status = 'advancing') = (target_frozen_time IS NOT NULL))
    );
    CREATE INDEX test_clocks_newest ON test_clocks (deleted, created, seq);
    CREATE INDEX test_clocks_to_expire ON test_clocks (deletes_after) WHERE deleted = 0;

    ALTER TABLE customers ADD COLUMN test_clock TEXT REFERENCES test_clocks (id);
    DROP INDEX customers_newest;
    CREATE INDEX customers_newest ON customers (deleted, test_clock, created, seq);
    CREATE INDEX customers_by_clock ON customers (test_clock, seq) WHERE test_clock IS NOT NULL;
    CREATE TRIGGER customers_clock_for_good BEFORE UPDATE OF test_clock ON customers
    WHEN old.test_clock IS NOT new.test_clock
    BEGIN
        SELECT RAISE(ABORT, 'a customer is attached to a test clock only when it is created');
    END;

    ALTER TABLE invoices ADD COLUMN test_clock TEXT;
    ALTER TABLE invoice_items ADD COLUMN test_clock TEXT;
    ALTER TABLE subscriptions ADD COLUMN test_clock TEXT;
    CREATE TRIGGER invoices_clock AFTER INSERT ON invoices
    WHEN (SELECT test_clock FROM customers WHERE id = new.customer) IS NOT NULL
    BEGIN
        UPDATE invoices SET test_clock = (SELECT test_clock FROM customers WHERE id = new.customer)
        WHERE seq = new.seq;
    END;
    CREATE TRIGGER invoice_items_clock AFTER INSERT ON invoice_items
    WHEN (SELECT test_clock FROM customers WHERE id = new.customer) IS NOT NULL
    BEGIN
        UPDATE invoice_items SET test_clock = (
            SELECT test_clock FROM customers WHERE id = new.customer
        ) WHERE seq = new.seq;
    END;
    CREATE TRIGGER subscriptions_clock AFTER INSERT ON subscriptions
    WHEN (SELECT test_clock FROM customers WHERE id = new.customer) IS NOT NULL
    BEGIN
        UPDATE subscriptions SET test_clock = (
            SELECT test_clock FROM customers WHERE id = new.customer
        ) WHERE seq = new.seq;
    END;

    DROP INDEX invoices_to_finalize;
    CREATE INDEX invoices_to_finalize ON invoices (test_clock, finalizes_at, seq)
        WHERE status = 'draft' AND auto_advance = 1;
    DROP INDEX invoices_to_charge;
    CREATE INDEX invoices_to_charge ON invoices (test_clock, next_payment_attempt, seq)
        WHERE next_payment_attempt IS NOT NULL;
    DROP INDEX subscriptions_due;
    CREATE INDEX subscriptions_due ON subscriptions (test_clock, next_action_at, seq)
        WHERE next_action_at IS NOT NULL;
    CREATE INDEX subscriptions_newest_on_clock ON subscriptions (test_clock, created, seq);
    UPDATE sqlite_stat1 SET stat = '1000000 500000 500000 2 1'
        WHERE tbl = 'customers' AND idx = 'customers_newest';
    """,
    # 14: tax rates. A rate's percentage and inclusiveness never change, and a rate is
    # never deleted (it is archived): the invoices and credit notes that name it keep
    # meaning what they said. Rates attach to items and lines, invoices (defaults),
    # subscriptions (defaults) and their items; each line keeps the tax each rate made on
    # it, an invoice and a credit note their lines' summed per rate (JSON lists).
    """
    CREATE TABLE tax_rates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        display_name TEXT NOT NULL,
        percentage REAL NOT NULL CHECK (percentage >= 0 AND percentage <= 100),
        inclusive INTEGER NOT NULL,
        active INTEGER NOT NULL,
        country TEXT,
        state TEXT,
        jurisdiction TEXT,
        tax_type TEXT,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX tax_rates_newest ON tax_rates (created, seq);
    CREATE TRIGGER tax_rates_immutable BEFORE UPDATE ON tax_rates
    WHEN old.id IS NOT new.id OR old.created IS NOT new.created
        OR old.percentage IS NOT new.percentage OR old.inclusive IS NOT new.inclusive
    BEGIN
        SELECT RAISE(ABORT, 'a tax rate''s percentage never changes: create a new rate');
    END;
    CREATE TRIGGER tax_rates_kept BEFORE DELETE ON tax_rates
    BEGIN
        SELECT RAISE(ABORT, 'tax rates cannot be deleted: archive them');
    END;

    ALTER TABLE invoice_items ADD COLUMN tax_rates TEXT;
    ALTER TABLE invoice_items ADD COLUMN tax_amounts TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE invoices ADD COLUMN default_tax_rates TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE invoices ADD COLUMN tax_amounts TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE subscriptions ADD COLUMN default_tax_rates TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE subscription_items ADD COLUMN tax_rates TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE credit_notes ADD COLUMN tax_amounts TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE credit_note_lines ADD COLUMN tax_rates TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE credit_note_lines ADD COLUMN tax_amounts TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE prices ADD COLUMN tax_behavior TEXT NOT NULL DEFAULT 'unspecified';
    """,
    # 15: meters and usage. Events are appended in runs: the events of one meter and
    # customer written together (and within one week of epoch time) take consecutive
    # seqs, and a run row keeps their count, sum and latest value, so a summary or an
    # invoice adds up runs and reads events only at its edges. Events name their meter
    # by seq. A metered price names its meter; a usage line the cycle whose tiers it
    # continues; a subscription its billing threshold and the invoice it made.
    """
    CREATE TABLE meters (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        display_name TEXT NOT NULL,
        event_name TEXT NOT NULL UNIQUE,
        formula TEXT NOT NULL CHECK (formula IN ('sum', 'count', 'last')),
        customer_key TEXT NOT NULL,
        value_key TEXT NOT NULL,
        event_time_window TEXT CHECK (event_time_window IN ('hour', 'day')),
        status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
        deactivated_at INTEGER
    );
    CREATE INDEX meters_newest ON meters (created, seq);
    CREATE INDEX meters_by_status ON meters (status, created, seq);
    CREATE TRIGGER meters_immutable
        BEFORE UPDATE ON meters
        WHEN OLD.id IS NOT NEW.id OR OLD.created IS NOT NEW.created
            OR OLD.event_name IS NOT NEW.event_name OR OLD.formula IS NOT NEW.formula
            OR OLD.customer_key IS NOT NEW.customer_key OR OLD.value_key IS NOT NEW.value_key
            OR OLD.event_time_window IS NOT NEW.event_time_window
    BEGIN
        SELECT RAISE(ABORT, 'a meter changes only its display name and status');
    END;

    CREATE TABLE meter_events (
        seq INTEGER PRIMARY KEY,
        meter INTEGER NOT NULL REFERENCES meters (seq),
        customer TEXT NOT NULL REFERENCES customers (id),
        timestamp INTEGER NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 0),
        identifier TEXT NOT NULL,
        created INTEGER NOT NULL,
        canceled INTEGER
    );
    CREATE UNIQUE INDEX meter_events_by_identifier ON meter_events (identifier);
    CREATE TRIGGER meter_events_append_only
        BEFORE UPDATE ON meter_events
        WHEN OLD.seq IS NOT NEW.seq OR OLD.meter IS NOT NEW.meter
            OR OLD.customer IS NOT NEW.customer OR OLD.timestamp IS NOT NEW.timestamp
            OR OLD.value IS NOT NEW.value OR OLD.identifier IS NOT NEW.identifier
            OR OLD.created IS NOT NEW.created OR OLD.canceled IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, 'a meter event is only ever canceled, once');
    END;
    CREATE TRIGGER meter_events_kept BEFORE DELETE ON meter_events
    BEGIN
        SELECT RAISE(ABORT, 'meter events are never deleted: cancel one');
    END;

    CREATE TABLE meter_event_runs (
        meter INTEGER NOT NULL,
        customer TEXT NOT NULL,
        week INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        first_timestamp INTEGER NOT NULL,
        last_timestamp INTEGER NOT NULL,
        events INTEGER NOT NULL,
        total INTEGER NOT NULL,
        latest_seq INTEGER,
        latest_timestamp INTEGER,
        latest_value INTEGER,
        PRIMARY KEY (meter, customer, week, first_seq)
    ) WITHOUT ROWID;

    CREATE TABLE meter_event_sessions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        token_hash TEXT NOT NULL UNIQUE
    );

    ALTER TABLE prices ADD COLUMN usage_type TEXT NOT NULL DEFAULT 'licensed';
    ALTER TABLE prices ADD COLUMN meter TEXT;
    DROP TRIGGER prices_immutable;
    CREATE TRIGGER prices_immutable
        BEFORE UPDATE ON prices
        WHEN OLD.id IS NOT NEW.id OR OLD.product IS NOT NEW.product
            OR OLD.created IS NOT NEW.created OR OLD.currency IS NOT NEW.currency
            OR OLD.type IS NOT NEW.type OR OLD.billing_scheme IS NOT NEW.billing_scheme
            OR OLD.unit_amount IS NOT NEW.unit_amount OR OLD.tiers_mode IS NOT NEW.tiers_mode
            OR OLD.tiers IS NOT NEW.tiers OR OLD.interval IS NOT NEW.interval
            OR OLD.interval_count IS NOT NEW.interval_count
            OR OLD.usage_type IS NOT NEW.usage_type OR OLD.meter IS NOT NEW.meter
    BEGIN
        SELECT RAISE(ABORT, 'price amounts never change: create a new price');
    END;
    CREATE INDEX prices_by_meter ON prices (meter) WHERE meter IS NOT NULL;

    ALTER TABLE subscriptions ADD COLUMN threshold_amount INTEGER;
    CREATE INDEX subscriptions_with_threshold ON subscriptions (status)
        WHERE threshold_amount IS NOT NULL;
    ALTER TABLE invoices ADD COLUMN threshold_amount INTEGER;
    ALTER TABLE invoice_items ADD COLUMN usage_cycle_start INTEGER;
    CREATE INDEX invoice_items_usage ON invoice_items (subscription_item, usage_cycle_start)
        WHERE usage_cycle_start IS NOT NULL;
    """,
    # 16: Checkout Sessions (issue 36): the hosted page's secret, the amounts fixed at
    # creation, and what completing the session made.
    """
    CREATE TABLE checkout_sessions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('payment', 'setup', 'subscription')),
        status TEXT NOT NULL CHECK (status IN ('open', 'complete', 'expired')),
        currency TEXT,
        expires_at INTEGER NOT NULL,
        secret TEXT NOT NULL UNIQUE,
        line_items TEXT NOT NULL DEFAULT '[]',
        amount_subtotal INTEGER NOT NULL DEFAULT 0,
        amount_discount INTEGER NOT NULL DEFAULT 0,
        amount_total INTEGER NOT NULL DEFAULT 0 CHECK (amount_total >= 0),
        success_url TEXT,
        cancel_url TEXT,
        customer TEXT REFERENCES customers (id),
        customer_email TEXT,
        customer_creation TEXT,
        client_reference_id TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        coupon TEXT,
        allow_promotion_codes INTEGER NOT NULL DEFAULT 0,
        payment_method_collection TEXT,
        subscription_data TEXT,
        payment_intent_data TEXT,
        payment_status TEXT NOT NULL,
        payment_intent TEXT REFERENCES payment_intents (id),
        setup_intent TEXT REFERENCES setup_intents (id),
        subscription TEXT REFERENCES subscriptions (id),
        invoice TEXT REFERENCES invoices (id),
        customer_details TEXT,
        completed_at INTEGER
    );
    CREATE INDEX checkout_sessions_newest ON checkout_sessions (created, seq);
    CREATE INDEX checkout_sessions_due ON checkout_sessions (expires_at, seq)
        WHERE status = 'open';
    """,
    # 17: subscription schedules (issue 36): phases back to back, the phase the
    # subscription is in, and when the clock next looks (a start, a boundary, a notice);
    # a schedule lives on its customer's clock, filled by the ledger as for subscriptions.
    """
    CREATE TABLE subscription_schedules (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        customer TEXT NOT NULL REFERENCES customers (id),
        status TEXT NOT NULL
            CHECK (status IN ('not_started', 'active', 'completed', 'released', 'canceled')),
        start_date INTEGER NOT NULL,
        end_behavior TEXT NOT NULL CHECK (end_behavior IN ('release', 'cancel')),
        phases TEXT NOT NULL,
        phase INTEGER,
        subscription TEXT REFERENCES subscriptions (id),
        released_subscription TEXT REFERENCES subscriptions (id),
        canceled_at INTEGER,
        completed_at INTEGER,
        released_at INTEGER,
        expiring_sent INTEGER NOT NULL DEFAULT 0,
        next_action_at INTEGER,
        metadata TEXT NOT NULL DEFAULT '{}',
        test_clock TEXT
    );
    CREATE INDEX subscription_schedules_newest ON subscription_schedules (created, seq);
    CREATE INDEX subscription_schedules_by_customer
        ON subscription_schedules (customer, created, seq);
    CREATE UNIQUE INDEX subscription_schedules_managing ON subscription_schedules (subscription)
        WHERE subscription IS NOT NULL;
    CREATE INDEX subscription_schedules_due
        ON subscription_schedules (test_clock, next_action_at, seq)
        WHERE next_action_at IS NOT NULL;
    CREATE TRIGGER subscription_schedules_clock AFTER INSERT ON subscription_schedules
    WHEN (SELECT test_clock FROM customers WHERE id = new.customer) IS NOT NULL
    BEGIN
        UPDATE subscription_schedules SET test_clock = (
            SELECT test_clock FROM customers WHERE id = new.customer
        ) WHERE seq = new.seq;
    END;
    """,
    # 18: the older API and the account. Promotion codes (customer-facing codes of a
    # coupon, each discount remembering the code it came from); plans are prices, which
    # may now be deleted, and whose trial days (migration 12's price column) a plan's
    # update may change; products keep the legacy `type`; tokens of test cards, and card
    # sources (`card_…` payment methods, a customer's `default_source`, with an expiry
    # and a holder of their own); the account's id, created at the ledger clock's time.
    """
    CREATE TABLE promotion_codes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL,
        coupon TEXT NOT NULL REFERENCES coupons (id),
        created INTEGER NOT NULL,
        active INTEGER NOT NULL,
        customer TEXT REFERENCES customers (id),
        expires_at INTEGER,
        max_redemptions INTEGER CHECK (max_redemptions > 0),
        times_redeemed INTEGER NOT NULL DEFAULT 0,
        first_time_transaction INTEGER NOT NULL DEFAULT 0,
        minimum_amount INTEGER,
        minimum_amount_currency TEXT,
        currency_options TEXT NOT NULL DEFAULT '{}',
        metadata TEXT NOT NULL DEFAULT '{}',
        CHECK (max_redemptions IS NULL OR times_redeemed <= max_redemptions),
        CHECK ((minimum_amount IS NULL) = (minimum_amount_currency IS NULL))
    );
    CREATE INDEX promotion_codes_newest ON promotion_codes (created, seq);
    CREATE INDEX promotion_codes_by_code ON promotion_codes (code COLLATE NOCASE);
    CREATE INDEX promotion_codes_by_coupon ON promotion_codes (coupon, created, seq);
    ALTER TABLE discounts ADD COLUMN promotion_code TEXT REFERENCES promotion_codes (id);

    ALTER TABLE products ADD COLUMN type TEXT NOT NULL DEFAULT 'service';
    ALTER TABLE prices ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
    DROP TRIGGER prices_transform_immutable;
    CREATE TRIGGER prices_transform_immutable
        BEFORE UPDATE ON prices
        WHEN OLD.transform_quantity IS NOT NEW.transform_quantity
    BEGIN
        SELECT RAISE(ABORT, 'price amounts never change: create a new price');
    END;

    CREATE TABLE tokens (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        card TEXT NOT NULL UNIQUE,
        test_name TEXT NOT NULL,
        exp_month INTEGER,
        exp_year INTEGER,
        billing_details TEXT,
        used INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tokens_newest ON tokens (created, seq);
    ALTER TABLE payment_methods ADD COLUMN exp_month INTEGER;
    ALTER TABLE payment_methods ADD COLUMN exp_year INTEGER;
    ALTER TABLE customers ADD COLUMN default_source TEXT;

    INSERT INTO meta (key, value) VALUES ('account.id', 'acct_' || upper(hex(randomblob(8))));
    INSERT INTO meta (key, value) VALUES ('account.created', coalesce(
        (SELECT value FROM meta WHERE key = 'clock.frozen_at'),
        CAST(strftime('%s', 'now') AS TEXT)));
    """,
    # 19: Checkout Sessions' page settings (locale, address and phone collection, texts,
    # consent, customer updates…) and schedules' default settings, as given (issue 28).
    """
    ALTER TABLE checkout_sessions ADD COLUMN page TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE subscription_schedules ADD COLUMN default_settings TEXT NOT NULL DEFAULT '{}';
    """,
    # 20: manual capture (issue 29): an intent's capture method and what it may capture,
    # its confirmation method (and a challenge completed for its next confirmation);
    # a charge's captured amount, when it was captured and when its authorization
    # expires; refunds that are an authorization let go. Earlier succeeded charges were
    # captured when made.
    """
    ALTER TABLE payment_intents ADD COLUMN capture_method TEXT NOT NULL DEFAULT 'automatic';
    ALTER TABLE payment_intents ADD COLUMN amount_capturable INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE payment_intents ADD COLUMN confirmation_method TEXT NOT NULL DEFAULT 'automatic';
    ALTER TABLE payment_intents ADD COLUMN authenticated INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE charges ADD COLUMN amount_captured INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE charges ADD COLUMN captured_at INTEGER;
    ALTER TABLE charges ADD COLUMN capture_before INTEGER;
    ALTER TABLE refunds ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
    UPDATE charges SET amount_captured = amount, captured_at = created
        WHERE status = 'succeeded';
    CREATE INDEX charges_to_release ON charges (capture_before, seq)
        WHERE capture_before IS NOT NULL AND captured_at IS NULL AND amount_refunded = 0;
    CREATE INDEX charges_captured ON charges (captured_at) WHERE captured_at IS NOT NULL;
    """,
    # 21: a Checkout Session's promotion code (given at creation or typed on its page)
    # and the tax its rates make, per rate (issue 36).
    """
    ALTER TABLE checkout_sessions ADD COLUMN promotion_code TEXT REFERENCES promotion_codes (id);
    ALTER TABLE checkout_sessions ADD COLUMN tax_amounts TEXT NOT NULL DEFAULT '[]';
    """,
    # 22: customers' tax IDs (issue 29): type, value and country as given, and what
    # verifying them came to; at most 25 per customer, which `ledger check` verifies.
    # An invoice keeps the tax IDs its customer had when it was finalized.
    """
    ALTER TABLE invoices ADD COLUMN customer_tax_ids TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE tax_ids (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        customer TEXT NOT NULL REFERENCES customers (id),
        created INTEGER NOT NULL,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        country TEXT,
        verification_status TEXT NOT NULL
    );
    CREATE INDEX tax_ids_by_customer ON tax_ids (customer, created, seq);
    CREATE INDEX tax_ids_newest ON tax_ids (created, seq);
    """,
    # 23: a discount of a Checkout Session in payment mode (issue 36): `checkout_session`
    # names it, and it may have no customer (a guest's payment), so the table is made
    # again with `customer` nullable.
    """
    CREATE TABLE discounts_v23 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        coupon TEXT NOT NULL REFERENCES coupons (id),
        start INTEGER NOT NULL,
        customer TEXT REFERENCES customers (id),
        subscription TEXT REFERENCES subscriptions (id),
        invoice TEXT,
        "end" INTEGER,
        ended_at INTEGER,
        invoice_item TEXT,
        promotion_code TEXT REFERENCES promotion_codes (id),
        checkout_session TEXT REFERENCES checkout_sessions (id),
        CHECK (customer IS NOT NULL OR checkout_session IS NOT NULL)
    );
    INSERT INTO discounts_v23 (seq, id, coupon, start, customer, subscription, invoice, "end",
            ended_at, invoice_item, promotion_code)
        SELECT seq, id, coupon, start, customer, subscription, invoice, "end", ended_at,
            invoice_item, promotion_code FROM discounts;
    DROP TABLE discounts;
    ALTER TABLE discounts_v23 RENAME TO discounts;
    CREATE INDEX discounts_by_coupon ON discounts (coupon, seq);
    CREATE INDEX discounts_by_invoice ON discounts (invoice) WHERE invoice IS NOT NULL;
    """,
    # 24: which of billcli's Checkout rules a session completed under
    # (`core.checkout.RULES`): sessions complete before this migration were priced and
    # redeemed by older ones (a payment's coupon not counted, a subscription not net of
    # its customer's coupon), so `ledger check` holds them to none of the newer rules.
    # A default, not a backfill, so that PostgreSQL's upgrade marks them the same.
    """
    ALTER TABLE checkout_sessions ADD COLUMN completed_under INTEGER NOT NULL DEFAULT 0;
    """,
    # 25: a Checkout Session found by its PaymentIntent or SetupIntent (every direct
    # confirm, update or cancel of an intent asks whether a session holds it) without
    # reading every session
    """
    CREATE INDEX checkout_sessions_by_payment_intent ON checkout_sessions (payment_intent)
        WHERE payment_intent IS NOT NULL;
    CREATE INDEX checkout_sessions_by_setup_intent ON checkout_sessions (setup_intent)
        WHERE setup_intent IS NOT NULL;
    """,
    # 26: a Checkout Session's post-payment invoice (`invoice_creation`) is made after
    # its payment succeeded, so its charge, made for no invoice, names it once it exists,
    # as every charge names the invoice it paid. A charge's invoice may go from none to
    # one, once; nothing else about it changes (the rest of the trigger is migration 12's).
    """
    DROP TRIGGER charges_immutable;
    CREATE TRIGGER charges_immutable BEFORE UPDATE ON charges
    WHEN old.id IS NOT new.id OR old.created IS NOT new.created OR old.amount IS NOT new.amount
        OR old.currency IS NOT new.currency OR old.status IS NOT new.status
        OR old.payment_intent IS NOT new.payment_intent
        OR (old.invoice IS NOT NULL AND old.invoice IS NOT new.invoice)
        OR (old.customer IS NOT NULL AND old.customer IS NOT new.customer)
        OR old.failure_code IS NOT new.failure_code
    BEGIN
        SELECT RAISE(ABORT, 'charges are immutable: only refunds, description, metadata change');
    END;
    """,
    # 27: when a subscription item's price last changed: a metered item's usage at its
    # new price counts from then, whether or not its old price's usage was billed (a
    # change with proration_behavior=none bills it nowhere, as Stripe's does). Items
    # changed before this migration are found by their old price's usage line, as then.
    """
    ALTER TABLE subscription_items ADD COLUMN price_since INTEGER;
    """,
    # 28: the API request an event came from (Stripe's `event.request.id`, the
    # request's `Request-Id`); none for a command's events, and for those made before.
    """
    ALTER TABLE events ADD COLUMN request_id TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def split_statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


FINAL = Path(__file__).with_name("schema_final.sql")


@cache
def final_script() -> list[str]:
    """The statements that make an empty ledger of the current schema at once (read from
    `schema_final.sql`): a new ledger is made from these, in some 30 ms, where replaying
    every migration costs some 200 ms, nearly all of it in `ALTER TABLE`s revalidating
    the whole schema, for the same result (a test holds the two equal)."""
    return split_statements(FINAL.read_text())


def final_schema_sql() -> str:
    """`schema_final.sql` as the migration list makes it: the tables, indexes, triggers
    and views the migrations leave, then the rows they leave (statistics for the
    planner, AUTOINCREMENT counters, whatever a migration seeds), then the statements
    that draw `meta`'s rows, which are each ledger's own (its ids and secrets)."""
    template = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration in MIGRATIONS:
            for statement in split_statements(migration):
                template.execute(statement)
        objects = template.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        virtual = {n for _, n, sql in objects if sql.upper().startswith("CREATE VIRTUAL TABLE")}
        made_by_virtual = {  # a virtual table's own tables, which it makes itself
            name
            for kind, name, _ in objects
            if kind == "table" and any(name.startswith(f"{table}_") for table in virtual)
        }
        made = [
            f"{sql};"
            for _, name, sql in objects
            if not name.startswith("sqlite_") and name not in made_by_virtual
        ]
        tables = [
            name
            for kind, name, _ in objects
            if kind == "table" and name not in virtual | made_by_virtual | {"meta"}
        ]
        rows = [
            f"INSERT INTO {table} VALUES ({values});"
            for table in tables
            for (values,) in template.execute(f"SELECT {_literals(template, table)} FROM {table}")
        ]
    finally:
        template.close()
    drawn = [
        statement
        for migration in MIGRATIONS
        for statement in split_statements(migration)
        if statement.upper().startswith("INSERT INTO META")
    ]
    header = (
        "-- Generated by `python -m billcli.store.schema` from the migration list: do not\n"
        "-- edit. tests/integration/test_migrations.py fails when it is stale.\n"
    )
    return header + "\n".join([*made, "ANALYZE sqlite_schema;", *rows, *drawn]) + "\n"


def _literals(conn: sqlite3.Connection, table: str) -> str:
    """SQL that prints a row of `table` as the literals of a VALUES list (`quote()`)."""
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    return " || ', ' || ".join(f'quote("{column}")' for column in columns)


if __name__ == "__main__":
    FINAL.write_text(final_schema_sql())
    print(f"wrote {FINAL}")
