package org.springframework.samples.vetclinic;

import org.h2.Driver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.stereotype.Repository;

/**
 * The reporting database, a separate server reached over TCP ({@code clinic.reports.url}; an
 * in-memory one when not set). Its monthly report is a slow query.
 */
@Repository
public class ReportsRepository {

  private static final String LOCAL =
      "jdbc:h2:mem:reports;DB_CLOSE_DELAY=-1;INIT=CREATE ALIAS IF NOT EXISTS PAUSE_NANOS FOR 'java.util.concurrent.locks.LockSupport.parkNanos'";

  private final JdbcTemplate jdbc =
      new JdbcTemplate(new SimpleDriverDataSource(new Driver(), System.getProperty("clinic.reports.url", LOCAL)));

  public String visitsPerMonth() {
    jdbc.queryForList("select PAUSE_NANOS(300000000)");
    return "visits per month: 42";
  }
}
