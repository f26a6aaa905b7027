package org.springframework.samples.vetclinic;

import java.io.IOException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** The insurance service ({@code clinic.insurance.url}), called through a pool of one connection. */
@Component
public class InsuranceClient implements DisposableBean {

  private final String base = System.getProperty("clinic.insurance.url", "http://127.0.0.1:9");
  private final PoolingHttpClientConnectionManager pool =
      PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(1).setMaxConnPerRoute(1).build();
  private final CloseableHttpClient http = HttpClients.custom().setConnectionManager(pool).build();

  public String coverage(long ownerId) throws IOException {
    return http.execute(new HttpGet(base + "/coverage/" + ownerId), response -> EntityUtils.toString(response.getEntity()));
  }

  @Override
  public void destroy() throws IOException {
    http.close();
  }
}
