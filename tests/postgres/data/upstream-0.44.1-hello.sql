-- Written by upstream redun 0.44.1 (three runs of its hello world: main, main --greet Hi, main)
-- against PostgreSQL 15, then `pg_dump --no-owner --no-privileges --inserts` (psql
-- restrict lines removed so the file runs as plain SQL).
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: tagentitytype; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.tagentitytype AS ENUM (
    'Execution',
    'Job',
    'CallNode',
    'Task',
    'Value',
    'Null'
);


--
-- Name: check_job_utc(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.check_job_utc() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
            BEGIN
                IF current_setting('redun.version', true) IS NULL THEN
                    -- For older redun clients, convert time from local timezone to UTC.
                    set local timezone = 'UTC';
                    NEW.start_time := NEW.start_time AT TIME ZONE 'UTC';
                    NEW.end_time := NEW.end_time AT TIME ZONE 'UTC';
                END IF;

                RETURN NEW;
            END;
            $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: argument; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.argument (
    arg_hash character varying(40) NOT NULL,
    call_hash character varying(40) NOT NULL,
    value_hash character varying(40) NOT NULL,
    arg_position integer,
    arg_key character varying(100)
);


--
-- Name: argument_result; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.argument_result (
    arg_hash character varying(40) NOT NULL,
    result_call_hash character varying(40) NOT NULL
);


--
-- Name: call_edge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.call_edge (
    parent_id character varying(40) NOT NULL,
    child_id character varying(40) NOT NULL,
    call_order integer NOT NULL
);


--
-- Name: call_node; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.call_node (
    call_hash character varying(40) NOT NULL,
    task_name character varying(1024) NOT NULL,
    task_hash character varying(40) NOT NULL,
    args_hash character varying(40) NOT NULL,
    value_hash character varying(40) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL
);


--
-- Name: call_subtree_task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.call_subtree_task (
    call_hash character varying(40) NOT NULL,
    task_hash character varying(40) NOT NULL
);


--
-- Name: evaluation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evaluation (
    eval_hash character varying(40) NOT NULL,
    task_hash character varying(40) NOT NULL,
    args_hash character varying(40) NOT NULL,
    value_hash character varying(40) NOT NULL
);


--
-- Name: execution; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.execution (
    id character varying NOT NULL,
    args character varying NOT NULL,
    job_id character varying NOT NULL,
    updated_time timestamp with time zone
);


--
-- Name: file; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.file (
    value_hash character varying(40) NOT NULL,
    path character varying(1024) NOT NULL
);


--
-- Name: handle; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.handle (
    hash character varying(40) NOT NULL,
    fullname character varying(1024) NOT NULL,
    value_hash character varying(40) NOT NULL,
    key character varying(1024) NOT NULL,
    is_valid boolean NOT NULL
);


--
-- Name: handle_edge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.handle_edge (
    parent_id character varying(40) NOT NULL,
    child_id character varying(40) NOT NULL
);


--
-- Name: job; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.job (
    id character varying NOT NULL,
    start_time timestamp with time zone NOT NULL,
    end_time timestamp with time zone,
    task_hash character varying(40) NOT NULL,
    cached boolean NOT NULL,
    call_hash character varying(40),
    parent_id character varying,
    execution_id character varying NOT NULL
);


--
-- Name: redun_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.redun_version (
    id character varying NOT NULL,
    version integer NOT NULL,
    "timestamp" timestamp with time zone NOT NULL
);


--
-- Name: subvalue; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.subvalue (
    value_hash character varying(40) NOT NULL,
    parent_value_hash character varying(40) NOT NULL
);


--
-- Name: tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tag (
    tag_hash character varying(40) NOT NULL,
    entity_type public.tagentitytype NOT NULL,
    entity_id character varying NOT NULL,
    key character varying NOT NULL,
    value jsonb NOT NULL,
    is_current boolean NOT NULL
);


--
-- Name: tag_edit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tag_edit (
    parent_id character varying NOT NULL,
    child_id character varying NOT NULL
);


--
-- Name: task; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task (
    hash character varying(40) NOT NULL,
    name character varying NOT NULL,
    namespace character varying NOT NULL,
    source character varying NOT NULL
);


--
-- Name: value; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.value (
    value_hash character varying(40) NOT NULL,
    type character varying NOT NULL,
    format character varying(100) NOT NULL,
    value bytea NOT NULL
);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('0bee3d6dba76');


--
-- Data for Name: argument; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.argument VALUES ('9fd9cd363eec0af676653265e77cb9c7d923c8f6', '2338383e4338c585407922e5f084da53c26a4d68', 'd5d4dead36aea0a3204651aa387a156e6bc8b2be', 0, NULL);
INSERT INTO public.argument VALUES ('2addda29a18b86778036c99df38666d1c1d36159', '2338383e4338c585407922e5f084da53c26a4d68', '58dc3a20d4129ff64489217cbeb9021f5cd30250', 1, NULL);
INSERT INTO public.argument VALUES ('40d4214171cf69ead3ac1a5418d3ccb4f5d99f8f', 'c52941d0138f4185ede1c2fd84bf5bb88c66e925', 'd5d4dead36aea0a3204651aa387a156e6bc8b2be', NULL, 'greet');
INSERT INTO public.argument VALUES ('260ba0814a3c7d75eeb04f1968f7f568aef9f81e', '20690f1a49b5c4a48e60c8e174e0f68a452e27d0', '6ad3f0fe84e22803154b212356bd7af284e370ee', 0, NULL);
INSERT INTO public.argument VALUES ('634cd89c6f26be624a5686879d08887768d34b36', '20690f1a49b5c4a48e60c8e174e0f68a452e27d0', '58dc3a20d4129ff64489217cbeb9021f5cd30250', 1, NULL);
INSERT INTO public.argument VALUES ('bef0bbb82d6af58ba2432ed889df0dceea54a94e', 'c3edb100fff3624827021a4e71be1707d86f14bd', '6ad3f0fe84e22803154b212356bd7af284e370ee', NULL, 'greet');


--
-- Data for Name: argument_result; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.argument_result VALUES ('2addda29a18b86778036c99df38666d1c1d36159', 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023');
INSERT INTO public.argument_result VALUES ('634cd89c6f26be624a5686879d08887768d34b36', 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023');


--
-- Data for Name: call_edge; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.call_edge VALUES ('c52941d0138f4185ede1c2fd84bf5bb88c66e925', '2338383e4338c585407922e5f084da53c26a4d68', 0);
INSERT INTO public.call_edge VALUES ('c52941d0138f4185ede1c2fd84bf5bb88c66e925', 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023', 1);
INSERT INTO public.call_edge VALUES ('c3edb100fff3624827021a4e71be1707d86f14bd', '20690f1a49b5c4a48e60c8e174e0f68a452e27d0', 0);
INSERT INTO public.call_edge VALUES ('c3edb100fff3624827021a4e71be1707d86f14bd', 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023', 1);


--
-- Data for Name: call_node; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.call_node VALUES ('f91a1a63ef2b4e4473e41f230eeeafbd4618e023', 'hello.get_planet', '165757c26b9c57cf42f0afde4126561b9aa06602', 'e6fd9d1078ade0554701ffeda3badafa9dcbd12e', '58dc3a20d4129ff64489217cbeb9021f5cd30250', '2026-11-29 22:38:25.538024+00');
INSERT INTO public.call_node VALUES ('2338383e4338c585407922e5f084da53c26a4d68', 'hello.greeter', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', 'b3c405991ac915835bd2bcedb37afa35ab512ffb', '85e1a3cfc37d88190f9a21337aad2fe8149115f8', '2026-11-29 22:38:25.550567+00');
INSERT INTO public.call_node VALUES ('c52941d0138f4185ede1c2fd84bf5bb88c66e925', 'hello.main', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', 'a8e1d07d3f1a63d93b03aaf928bffcc69520dc78', '85e1a3cfc37d88190f9a21337aad2fe8149115f8', '2026-11-29 22:38:25.55782+00');
INSERT INTO public.call_node VALUES ('20690f1a49b5c4a48e60c8e174e0f68a452e27d0', 'hello.greeter', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', '0cd19e492dc5bbdcf920a54b22594e8c04ff75f2', '81c43aa9ee5cd0be466f08a0bc64d3cfccd92593', '2026-11-29 22:38:26.898175+00');
INSERT INTO public.call_node VALUES ('c3edb100fff3624827021a4e71be1707d86f14bd', 'hello.main', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', '42c70851aa4af6e8a1e4f4852320069432fb2323', '81c43aa9ee5cd0be466f08a0bc64d3cfccd92593', '2026-11-29 22:38:26.906354+00');


--
-- Data for Name: call_subtree_task; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.call_subtree_task VALUES ('f91a1a63ef2b4e4473e41f230eeeafbd4618e023', '165757c26b9c57cf42f0afde4126561b9aa06602');
INSERT INTO public.call_subtree_task VALUES ('2338383e4338c585407922e5f084da53c26a4d68', '54189e2e05d6af4fc5a7286ae6ec21f179af081e');
INSERT INTO public.call_subtree_task VALUES ('c52941d0138f4185ede1c2fd84bf5bb88c66e925', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5');
INSERT INTO public.call_subtree_task VALUES ('c52941d0138f4185ede1c2fd84bf5bb88c66e925', '54189e2e05d6af4fc5a7286ae6ec21f179af081e');
INSERT INTO public.call_subtree_task VALUES ('c52941d0138f4185ede1c2fd84bf5bb88c66e925', '165757c26b9c57cf42f0afde4126561b9aa06602');
INSERT INTO public.call_subtree_task VALUES ('20690f1a49b5c4a48e60c8e174e0f68a452e27d0', '54189e2e05d6af4fc5a7286ae6ec21f179af081e');
INSERT INTO public.call_subtree_task VALUES ('c3edb100fff3624827021a4e71be1707d86f14bd', '165757c26b9c57cf42f0afde4126561b9aa06602');
INSERT INTO public.call_subtree_task VALUES ('c3edb100fff3624827021a4e71be1707d86f14bd', '54189e2e05d6af4fc5a7286ae6ec21f179af081e');
INSERT INTO public.call_subtree_task VALUES ('c3edb100fff3624827021a4e71be1707d86f14bd', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5');


--
-- Data for Name: evaluation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.evaluation VALUES ('bbe263b5b2e12b477472b4cf0c73d3575355b1e5', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', 'a8e1d07d3f1a63d93b03aaf928bffcc69520dc78', 'dcd79fa98e49e3f73484afde8867872f47488fbb');
INSERT INTO public.evaluation VALUES ('fc6296c06f1e083a4266c70ab372e7c5c89128e3', '165757c26b9c57cf42f0afde4126561b9aa06602', 'e6fd9d1078ade0554701ffeda3badafa9dcbd12e', '58dc3a20d4129ff64489217cbeb9021f5cd30250');
INSERT INTO public.evaluation VALUES ('1bcfce34014483535a25a3db55b351d8e18b4d27', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', 'b3c405991ac915835bd2bcedb37afa35ab512ffb', '85e1a3cfc37d88190f9a21337aad2fe8149115f8');
INSERT INTO public.evaluation VALUES ('88217b3ed633a9505426a0ec0f045387632fdd6f', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', '42c70851aa4af6e8a1e4f4852320069432fb2323', '4db58c9afc3bef408dffcde97b2814a894953149');
INSERT INTO public.evaluation VALUES ('fb7aef5ba639b358259ec5e9bc430b588e2aedf6', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', '0cd19e492dc5bbdcf920a54b22594e8c04ff75f2', '81c43aa9ee5cd0be466f08a0bc64d3cfccd92593');


--
-- Data for Name: execution; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.execution VALUES ('f17685a3-96b1-47c0-95a9-4fdd2bb3f187', '["/work/upstream-venv/bin/redun", "run", "hello.py", "main"]', 'c18cd1ca-013a-4a94-81d1-e2280a583935', '2026-11-29 22:38:25.508622+00');
INSERT INTO public.execution VALUES ('d7d8e617-8ce9-496e-a688-a33d4aae65d3', '["/work/upstream-venv/bin/redun", "run", "hello.py", "main", "--greet", "Hi"]', 'cac965d4-65e7-40e8-b6da-8d96931c607d', '2026-11-29 22:38:26.869904+00');
INSERT INTO public.execution VALUES ('65bdb167-79b4-4d21-acf4-c342334e56e9', '["/work/upstream-venv/bin/redun", "run", "hello.py", "main"]', '315178f2-f92d-4098-a528-2dfe9f2d0432', '2026-11-29 22:38:28.187619+00');


--
-- Data for Name: file; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: handle; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: handle_edge; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: job; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.job VALUES ('6cf6bb82-805f-4922-ac06-ff40f53dcef0', '2026-11-29 22:38:25.531297+00', '2026-11-29 22:38:25.540207+00', '165757c26b9c57cf42f0afde4126561b9aa06602', false, 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023', 'c18cd1ca-013a-4a94-81d1-e2280a583935', 'f17685a3-96b1-47c0-95a9-4fdd2bb3f187');
INSERT INTO public.job VALUES ('ea9c4a79-781d-4378-8fda-ea2a83b51374', '2026-11-29 22:38:25.545928+00', '2026-11-29 22:38:25.555735+00', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', false, '2338383e4338c585407922e5f084da53c26a4d68', 'c18cd1ca-013a-4a94-81d1-e2280a583935', 'f17685a3-96b1-47c0-95a9-4fdd2bb3f187');
INSERT INTO public.job VALUES ('c18cd1ca-013a-4a94-81d1-e2280a583935', '2026-11-29 22:38:25.517999+00', '2026-11-29 22:38:25.562515+00', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', false, 'c52941d0138f4185ede1c2fd84bf5bb88c66e925', NULL, 'f17685a3-96b1-47c0-95a9-4fdd2bb3f187');
INSERT INTO public.job VALUES ('849adede-33af-445f-90ed-d3f28482735f', '2026-11-29 22:38:26.886096+00', '2026-11-29 22:38:26.889477+00', '165757c26b9c57cf42f0afde4126561b9aa06602', true, 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023', 'cac965d4-65e7-40e8-b6da-8d96931c607d', 'd7d8e617-8ce9-496e-a688-a33d4aae65d3');
INSERT INTO public.job VALUES ('71876072-0731-496a-91c6-1abb4d7ba70d', '2026-11-29 22:38:26.893104+00', '2026-11-29 22:38:26.903975+00', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', false, '20690f1a49b5c4a48e60c8e174e0f68a452e27d0', 'cac965d4-65e7-40e8-b6da-8d96931c607d', 'd7d8e617-8ce9-496e-a688-a33d4aae65d3');
INSERT INTO public.job VALUES ('cac965d4-65e7-40e8-b6da-8d96931c607d', '2026-11-29 22:38:26.874184+00', '2026-11-29 22:38:26.910231+00', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', false, 'c3edb100fff3624827021a4e71be1707d86f14bd', NULL, 'd7d8e617-8ce9-496e-a688-a33d4aae65d3');
INSERT INTO public.job VALUES ('d0f7a818-75c7-4c3f-bacd-96f578c15b2e', '2026-11-29 22:38:28.199474+00', '2026-11-29 22:38:28.202843+00', '165757c26b9c57cf42f0afde4126561b9aa06602', true, 'f91a1a63ef2b4e4473e41f230eeeafbd4618e023', '315178f2-f92d-4098-a528-2dfe9f2d0432', '65bdb167-79b4-4d21-acf4-c342334e56e9');
INSERT INTO public.job VALUES ('67762a0b-d1bb-4ad2-8ef5-24219d562926', '2026-11-29 22:38:28.206744+00', '2026-11-29 22:38:28.208444+00', '54189e2e05d6af4fc5a7286ae6ec21f179af081e', true, '2338383e4338c585407922e5f084da53c26a4d68', '315178f2-f92d-4098-a528-2dfe9f2d0432', '65bdb167-79b4-4d21-acf4-c342334e56e9');
INSERT INTO public.job VALUES ('315178f2-f92d-4098-a528-2dfe9f2d0432', '2026-11-29 22:38:28.19275+00', '2026-11-29 22:38:28.210303+00', '0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', true, 'c52941d0138f4185ede1c2fd84bf5bb88c66e925', NULL, '65bdb167-79b4-4d21-acf4-c342334e56e9');


--
-- Data for Name: redun_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.redun_version VALUES ('83c21af9-fb5b-4799-9842-a270e3c0f319', 3, '2026-11-29 22:38:24.282588+00');


--
-- Data for Name: subvalue; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: tag; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tag VALUES ('df142f895aaf696b75aa812e652c4122251f7c22', 'Execution', 'f17685a3-96b1-47c0-95a9-4fdd2bb3f187', 'redun.version', '"0.44.1"', true);
INSERT INTO public.tag VALUES ('80549d0b8fb02b42c06964fa9f858788113aa92c', 'Execution', 'f17685a3-96b1-47c0-95a9-4fdd2bb3f187', 'user', '"root"', true);
INSERT INTO public.tag VALUES ('6faec9726546aaa7df53e11f216f0737524446e2', 'Execution', 'f17685a3-96b1-47c0-95a9-4fdd2bb3f187', 'project', '"hello"', true);
INSERT INTO public.tag VALUES ('409231459f5515b5bebb5807381c86a872b08f13', 'Execution', 'd7d8e617-8ce9-496e-a688-a33d4aae65d3', 'redun.version', '"0.44.1"', true);
INSERT INTO public.tag VALUES ('28227d80ec5906a11fc35aca65860378c3f55bdf', 'Execution', 'd7d8e617-8ce9-496e-a688-a33d4aae65d3', 'project', '"hello"', true);
INSERT INTO public.tag VALUES ('9468803b22e7322cd7ec2a1d5bfde3e3f8e659ec', 'Execution', 'd7d8e617-8ce9-496e-a688-a33d4aae65d3', 'user', '"root"', true);
INSERT INTO public.tag VALUES ('8e234f97b3890e323491a95dccbb86f662d01885', 'Execution', '65bdb167-79b4-4d21-acf4-c342334e56e9', 'redun.version', '"0.44.1"', true);
INSERT INTO public.tag VALUES ('ccb04dcbfa4cc4e5b03fdcf9d9afbbac07468fbb', 'Execution', '65bdb167-79b4-4d21-acf4-c342334e56e9', 'project', '"hello"', true);
INSERT INTO public.tag VALUES ('862c54be6e61a743f0551ba7ed429b12d0d33478', 'Execution', '65bdb167-79b4-4d21-acf4-c342334e56e9', 'user', '"root"', true);


--
-- Data for Name: tag_edit; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: task; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.task VALUES ('0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', 'main', 'hello', 'def main(greet: str = "Hello"): return greeter(greet, get_planet())
');
INSERT INTO public.task VALUES ('165757c26b9c57cf42f0afde4126561b9aa06602', 'get_planet', 'hello', 'def get_planet(): return "World"
');
INSERT INTO public.task VALUES ('54189e2e05d6af4fc5a7286ae6ec21f179af081e', 'greeter', 'hello', 'def greeter(greet: str, thing: str): return f"{greet}, {thing}!"
');


--
-- Data for Name: value; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.value VALUES ('0fa7ba8e0d1f827bf0e43d2332b987cdea35a4c5', 'redun.Task', 'application/python-pickle', '\x800363726564756e2e7461736b0a5461736b0a7100298171017d71022858040000006e616d65710358040000006d61696e710458090000006e616d6573706163657105580500000068656c6c6f7106580700000076657273696f6e71074e580400000068617368710858280000003066613762613865306431663832376266306534336432333332623938376364656133356134633571095806000000636f6d706174710a5d710b5806000000736372697074710c89580c0000007461736b5f6f7074696f6e73710d7d710e580e0000006578706f72745f6f7074696f6e73710f636275696c74696e730a7365740a71105d711185711252711375622e');
INSERT INTO public.value VALUES ('dcd79fa98e49e3f73484afde8867872f47488fbb', 'redun.expression.TaskExpression', 'application/python-pickle', '\x800363726564756e2e65787072657373696f6e0a5461736b45787072657373696f6e0a7100298171017d71022858090000007461736b5f6e616d657103580d00000068656c6c6f2e677265657465727104580400000061726773710543e28003580500000048656c6c6f710063726564756e2e65787072657373696f6e0a5461736b45787072657373696f6e0a7101298171027d71032858090000007461736b5f6e616d657104581000000068656c6c6f2e6765745f706c616e65747105580400000061726773710643048003292e710758060000006b77617267737108430680037d71002e7109580c0000007461736b5f6f7074696f6e73710a7d710b580e0000006578706f72745f6f7074696f6e73710c636275696c74696e730a7365740a710d5d710e85710f52711058060000006c656e67746871114e75628671122e710658060000006b77617267737107430680037d71002e7108580c0000007461736b5f6f7074696f6e7371097d710a580e0000006578706f72745f6f7074696f6e73710b636275696c74696e730a7365740a710c5d710d85710e52710f58060000006c656e67746871104e75622e');
INSERT INTO public.value VALUES ('165757c26b9c57cf42f0afde4126561b9aa06602', 'redun.Task', 'application/python-pickle', '\x800363726564756e2e7461736b0a5461736b0a7100298171017d71022858040000006e616d657103580a0000006765745f706c616e6574710458090000006e616d6573706163657105580500000068656c6c6f7106580700000076657273696f6e71074e580400000068617368710858280000003136353735376332366239633537636634326630616664653431323635363162396161303636303271095806000000636f6d706174710a5d710b5806000000736372697074710c89580c0000007461736b5f6f7074696f6e73710d7d710e580e0000006578706f72745f6f7074696f6e73710f636275696c74696e730a7365740a71105d711185711252711375622e');
INSERT INTO public.value VALUES ('58dc3a20d4129ff64489217cbeb9021f5cd30250', 'builtins.str', 'application/python-pickle', '\x80035805000000576f726c6471002e');
INSERT INTO public.value VALUES ('54189e2e05d6af4fc5a7286ae6ec21f179af081e', 'redun.Task', 'application/python-pickle', '\x800363726564756e2e7461736b0a5461736b0a7100298171017d71022858040000006e616d657103580700000067726565746572710458090000006e616d6573706163657105580500000068656c6c6f7106580700000076657273696f6e71074e580400000068617368710858280000003534313839653265303564366166346663356137323836616536656332316631373961663038316571095806000000636f6d706174710a5d710b5806000000736372697074710c89580c0000007461736b5f6f7074696f6e73710d7d710e580e0000006578706f72745f6f7074696f6e73710f636275696c74696e730a7365740a71105d711185711252711375622e');
INSERT INTO public.value VALUES ('85e1a3cfc37d88190f9a21337aad2fe8149115f8', 'builtins.str', 'application/python-pickle', '\x8003580d00000048656c6c6f2c20576f726c642171002e');
INSERT INTO public.value VALUES ('d5d4dead36aea0a3204651aa387a156e6bc8b2be', 'builtins.str', 'application/python-pickle', '\x8003580500000048656c6c6f71002e');
INSERT INTO public.value VALUES ('4db58c9afc3bef408dffcde97b2814a894953149', 'redun.expression.TaskExpression', 'application/python-pickle', '\x800363726564756e2e65787072657373696f6e0a5461736b45787072657373696f6e0a7100298171017d71022858090000007461736b5f6e616d657103580d00000068656c6c6f2e677265657465727104580400000061726773710543df800358020000004869710063726564756e2e65787072657373696f6e0a5461736b45787072657373696f6e0a7101298171027d71032858090000007461736b5f6e616d657104581000000068656c6c6f2e6765745f706c616e65747105580400000061726773710643048003292e710758060000006b77617267737108430680037d71002e7109580c0000007461736b5f6f7074696f6e73710a7d710b580e0000006578706f72745f6f7074696f6e73710c636275696c74696e730a7365740a710d5d710e85710f52711058060000006c656e67746871114e75628671122e710658060000006b77617267737107430680037d71002e7108580c0000007461736b5f6f7074696f6e7371097d710a580e0000006578706f72745f6f7074696f6e73710b636275696c74696e730a7365740a710c5d710d85710e52710f58060000006c656e67746871104e75622e');
INSERT INTO public.value VALUES ('81c43aa9ee5cd0be466f08a0bc64d3cfccd92593', 'builtins.str', 'application/python-pickle', '\x8003580a00000048692c20576f726c642171002e');
INSERT INTO public.value VALUES ('6ad3f0fe84e22803154b212356bd7af284e370ee', 'builtins.str', 'application/python-pickle', '\x80035802000000486971002e');


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: argument argument_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.argument
    ADD CONSTRAINT argument_pkey PRIMARY KEY (arg_hash);


--
-- Name: argument_result argument_result_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.argument_result
    ADD CONSTRAINT argument_result_pkey PRIMARY KEY (arg_hash, result_call_hash);


--
-- Name: call_edge call_edge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_edge
    ADD CONSTRAINT call_edge_pkey PRIMARY KEY (parent_id, child_id, call_order);


--
-- Name: call_node call_node_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_node
    ADD CONSTRAINT call_node_pkey PRIMARY KEY (call_hash);


--
-- Name: call_subtree_task call_subtree_task_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_subtree_task
    ADD CONSTRAINT call_subtree_task_pkey PRIMARY KEY (call_hash, task_hash);


--
-- Name: evaluation evaluation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation
    ADD CONSTRAINT evaluation_pkey PRIMARY KEY (eval_hash);


--
-- Name: execution execution_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.execution
    ADD CONSTRAINT execution_pkey PRIMARY KEY (id);


--
-- Name: file file_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file
    ADD CONSTRAINT file_pkey PRIMARY KEY (value_hash);


--
-- Name: handle_edge handle_edge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handle_edge
    ADD CONSTRAINT handle_edge_pkey PRIMARY KEY (parent_id, child_id);


--
-- Name: handle handle_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handle
    ADD CONSTRAINT handle_pkey PRIMARY KEY (hash);


--
-- Name: job job_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT job_pkey PRIMARY KEY (id);


--
-- Name: redun_version redun_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.redun_version
    ADD CONSTRAINT redun_version_pkey PRIMARY KEY (id);


--
-- Name: subvalue subvalue_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subvalue
    ADD CONSTRAINT subvalue_pkey PRIMARY KEY (value_hash, parent_value_hash);


--
-- Name: tag_edit tag_edit_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tag_edit
    ADD CONSTRAINT tag_edit_pkey PRIMARY KEY (parent_id, child_id);


--
-- Name: tag tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tag
    ADD CONSTRAINT tag_pkey PRIMARY KEY (tag_hash);


--
-- Name: task task_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task
    ADD CONSTRAINT task_pkey PRIMARY KEY (hash);


--
-- Name: value value_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.value
    ADD CONSTRAINT value_pkey PRIMARY KEY (value_hash);


--
-- Name: ix_argument_call_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_argument_call_hash ON public.argument USING btree (call_hash);


--
-- Name: ix_argument_result_arg_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_argument_result_arg_hash ON public.argument_result USING btree (arg_hash);


--
-- Name: ix_argument_result_result_call_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_argument_result_result_call_hash ON public.argument_result USING btree (result_call_hash);


--
-- Name: ix_argument_value_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_argument_value_hash ON public.argument USING btree (value_hash);


--
-- Name: ix_call_edge_child_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_call_edge_child_id ON public.call_edge USING btree (child_id);


--
-- Name: ix_call_edge_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_call_edge_parent_id ON public.call_edge USING btree (parent_id);


--
-- Name: ix_call_node_call_hash_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_call_node_call_hash_vpo ON public.call_node USING btree (call_hash varchar_pattern_ops);


--
-- Name: ix_call_node_task_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_call_node_task_hash ON public.call_node USING btree (task_hash);


--
-- Name: ix_call_node_value_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_call_node_value_hash ON public.call_node USING btree (value_hash);


--
-- Name: ix_call_subtree_task_call_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_call_subtree_task_call_hash ON public.call_subtree_task USING btree (call_hash);


--
-- Name: ix_call_subtree_task_task_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_call_subtree_task_task_hash ON public.call_subtree_task USING btree (task_hash);


--
-- Name: ix_evaluation_task_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_evaluation_task_hash ON public.evaluation USING btree (task_hash);


--
-- Name: ix_evaluation_value_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_evaluation_value_hash ON public.evaluation USING btree (value_hash);


--
-- Name: ix_execution_id_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_execution_id_vpo ON public.execution USING btree (id varchar_pattern_ops);


--
-- Name: ix_execution_job_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_execution_job_id ON public.execution USING btree (job_id);


--
-- Name: ix_file_path; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_file_path ON public.file USING btree (path);


--
-- Name: ix_handle_edge_child_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_handle_edge_child_id ON public.handle_edge USING btree (child_id);


--
-- Name: ix_handle_edge_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_handle_edge_parent_id ON public.handle_edge USING btree (parent_id);


--
-- Name: ix_handle_fullname; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_handle_fullname ON public.handle USING btree (fullname);


--
-- Name: ix_handle_value_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_handle_value_hash ON public.handle USING btree (value_hash);


--
-- Name: ix_job_call_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_call_hash ON public.job USING btree (call_hash);


--
-- Name: ix_job_end_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_end_time ON public.job USING btree (end_time);


--
-- Name: ix_job_execution_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_execution_id ON public.job USING btree (execution_id);


--
-- Name: ix_job_id_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_job_id_vpo ON public.job USING btree (id varchar_pattern_ops);


--
-- Name: ix_job_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_parent_id ON public.job USING btree (parent_id);


--
-- Name: ix_job_start_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_start_time ON public.job USING btree (start_time);


--
-- Name: ix_job_task_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_task_hash ON public.job USING btree (task_hash);


--
-- Name: ix_subvalue_parent_value_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subvalue_parent_value_hash ON public.subvalue USING btree (parent_value_hash);


--
-- Name: ix_subvalue_value_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_subvalue_value_hash ON public.subvalue USING btree (value_hash);


--
-- Name: ix_tag_entity_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_tag_entity_id ON public.tag USING btree (entity_id);


--
-- Name: ix_tag_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_tag_key ON public.tag USING btree (key);


--
-- Name: ix_tag_tag_hash_current; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_tag_tag_hash_current ON public.tag USING btree (tag_hash) WHERE is_current;


--
-- Name: ix_tag_value; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_tag_value ON public.tag USING btree (value);


--
-- Name: ix_task_hash_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_task_hash_vpo ON public.task USING btree (hash varchar_pattern_ops);


--
-- Name: ix_task_name_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_task_name_vpo ON public.task USING btree (name varchar_pattern_ops);


--
-- Name: ix_task_namespace_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_task_namespace_vpo ON public.task USING btree (namespace varchar_pattern_ops);


--
-- Name: ix_value_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_value_type ON public.value USING btree (type);


--
-- Name: ix_value_value_hash_vpo; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_value_value_hash_vpo ON public.value USING btree (value_hash varchar_pattern_ops);


--
-- Name: job check_job_utc; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER check_job_utc BEFORE INSERT ON public.job FOR EACH ROW EXECUTE FUNCTION public.check_job_utc();


--
-- Name: argument argument_call_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.argument
    ADD CONSTRAINT argument_call_hash_fkey FOREIGN KEY (call_hash) REFERENCES public.call_node(call_hash);


--
-- Name: argument_result argument_result_arg_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.argument_result
    ADD CONSTRAINT argument_result_arg_hash_fkey FOREIGN KEY (arg_hash) REFERENCES public.argument(arg_hash);


--
-- Name: argument_result argument_result_result_call_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.argument_result
    ADD CONSTRAINT argument_result_result_call_hash_fkey FOREIGN KEY (result_call_hash) REFERENCES public.call_node(call_hash);


--
-- Name: argument argument_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.argument
    ADD CONSTRAINT argument_value_hash_fkey FOREIGN KEY (value_hash) REFERENCES public.value(value_hash);


--
-- Name: call_edge call_edge_child_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_edge
    ADD CONSTRAINT call_edge_child_id_fkey FOREIGN KEY (child_id) REFERENCES public.call_node(call_hash);


--
-- Name: call_edge call_edge_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_edge
    ADD CONSTRAINT call_edge_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.call_node(call_hash);


--
-- Name: call_node call_node_task_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_node
    ADD CONSTRAINT call_node_task_hash_fkey FOREIGN KEY (task_hash) REFERENCES public.task(hash);


--
-- Name: call_node call_node_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_node
    ADD CONSTRAINT call_node_value_hash_fkey FOREIGN KEY (value_hash) REFERENCES public.value(value_hash);


--
-- Name: call_subtree_task call_subtree_task_call_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_subtree_task
    ADD CONSTRAINT call_subtree_task_call_hash_fkey FOREIGN KEY (call_hash) REFERENCES public.call_node(call_hash);


--
-- Name: call_subtree_task call_subtree_task_task_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.call_subtree_task
    ADD CONSTRAINT call_subtree_task_task_hash_fkey FOREIGN KEY (task_hash) REFERENCES public.task(hash);


--
-- Name: job ct_job_execution_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT ct_job_execution_id FOREIGN KEY (execution_id) REFERENCES public.execution(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: evaluation evaluation_task_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation
    ADD CONSTRAINT evaluation_task_hash_fkey FOREIGN KEY (task_hash) REFERENCES public.task(hash);


--
-- Name: evaluation evaluation_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation
    ADD CONSTRAINT evaluation_value_hash_fkey FOREIGN KEY (value_hash) REFERENCES public.value(value_hash);


--
-- Name: execution execution_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.execution
    ADD CONSTRAINT execution_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.job(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: file file_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file
    ADD CONSTRAINT file_value_hash_fkey FOREIGN KEY (value_hash) REFERENCES public.value(value_hash);


--
-- Name: handle_edge handle_edge_child_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handle_edge
    ADD CONSTRAINT handle_edge_child_id_fkey FOREIGN KEY (child_id) REFERENCES public.handle(hash);


--
-- Name: handle_edge handle_edge_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handle_edge
    ADD CONSTRAINT handle_edge_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.handle(hash);


--
-- Name: handle handle_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handle
    ADD CONSTRAINT handle_value_hash_fkey FOREIGN KEY (value_hash) REFERENCES public.value(value_hash);


--
-- Name: job job_call_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT job_call_hash_fkey FOREIGN KEY (call_hash) REFERENCES public.call_node(call_hash);


--
-- Name: job job_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT job_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.job(id);


--
-- Name: job job_task_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT job_task_hash_fkey FOREIGN KEY (task_hash) REFERENCES public.task(hash);


--
-- Name: subvalue subvalue_parent_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subvalue
    ADD CONSTRAINT subvalue_parent_value_hash_fkey FOREIGN KEY (parent_value_hash) REFERENCES public.value(value_hash);


--
-- Name: subvalue subvalue_value_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.subvalue
    ADD CONSTRAINT subvalue_value_hash_fkey FOREIGN KEY (value_hash) REFERENCES public.value(value_hash);


--
-- Name: tag_edit tag_edit_child_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tag_edit
    ADD CONSTRAINT tag_edit_child_id_fkey FOREIGN KEY (child_id) REFERENCES public.tag(tag_hash);


--
-- Name: tag_edit tag_edit_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tag_edit
    ADD CONSTRAINT tag_edit_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.tag(tag_hash);


--
-- PostgreSQL database dump complete
--


