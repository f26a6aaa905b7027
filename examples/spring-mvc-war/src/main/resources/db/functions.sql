-- the database's own wait, as a slow query would: the request thread waits inside the JDBC call
CREATE ALIAS PAUSE_NANOS FOR 'java.util.concurrent.locks.LockSupport.parkNanos';
