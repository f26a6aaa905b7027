package org.springframework.samples.vetclinic;

import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.handler.SimpleMappingExceptionResolver;
import org.springframework.web.servlet.view.InternalResourceViewResolver;

/** The clinic's Spring configuration, named in web.xml: JPA on an embedded H2, JSP views, an error view. */
@Configuration
@EnableWebMvc
@EnableTransactionManagement
@ComponentScan
public class ClinicConfig {

  @Bean(destroyMethod = "shutdown")
  public DataSource dataSource() {
    return new EmbeddedDatabaseBuilder()
        .setType(EmbeddedDatabaseType.H2)
        .generateUniqueName(true)
        .addScript("classpath:db/functions.sql")
        .build();
  }

  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource) {
    LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
    factory.setDataSource(dataSource);
    factory.setPackagesToScan(Owner.class.getPackageName());
    factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
    Properties jpa = new Properties();
    jpa.setProperty("hibernate.hbm2ddl.auto", "create"); // and import.sql fills the tables
    factory.setJpaProperties(jpa);
    return factory;
  }

  @Bean
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  @Bean
  public InternalResourceViewResolver viewResolver() {
    return new InternalResourceViewResolver("/WEB-INF/jsp/", ".jsp");
  }

  /** Every exception a controller throws is shown on the error page, as the classic petclinic does. */
  @Bean
  public SimpleMappingExceptionResolver errorViews() {
    SimpleMappingExceptionResolver errorViews = new SimpleMappingExceptionResolver();
    errorViews.setDefaultErrorView("exception");
    return errorViews;
  }
}
