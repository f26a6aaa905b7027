<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="clinic" tagdir="/WEB-INF/tags" %>
<!DOCTYPE html>
<html>
<head><title>Owners</title></head>
<body>
<h2>Owners</h2>
<table>
  <c:forEach items="${owners}" var="owner">
    <tr><td><c:out value="${owner.firstName} ${owner.lastName}"/></td></tr>
  </c:forEach>
</table>
<clinic:footer/>
</body>
</html>
