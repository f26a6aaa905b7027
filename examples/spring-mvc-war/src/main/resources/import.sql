insert into owners (id, first_name, last_name) values (1, 'George', 'Franklin');
insert into owners (id, first_name, last_name) values (2, 'Betty', 'Davis');
insert into owners (id, first_name, last_name) values (3, 'Eduardo', 'Rodriquez');
insert into owners (id, first_name, last_name) values (4, 'Harold', 'Davis');
