CREATE TABLE accounts (id integer, name character varying(50), price numeric(10,2), net cidr, code text);
