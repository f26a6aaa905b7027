<%@ tag body-content="empty" %>
<footer><p>Vet clinic, a Spring MVC WAR</p></footer>
