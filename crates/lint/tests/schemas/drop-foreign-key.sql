-- The schema before the migration (`--schema`) for fixtures/drop-foreign-key.sql.
CREATE SCHEMA app;
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, account_id bigint, note text);
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD CONSTRAINT orders_note_check CHECK (note <> '');
CREATE TABLE app.line_items (order_id bigint, product_id bigint, CONSTRAINT line_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id));
