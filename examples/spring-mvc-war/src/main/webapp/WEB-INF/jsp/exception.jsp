<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="clinic" tagdir="/WEB-INF/tags" %>
<!DOCTYPE html>
<html>
<head><title>Something happened</title></head>
<body>
<h2>Something happened...</h2>
<p><c:out value="${exception.message}"/></p>
<clinic:footer/>
</body>
</html>
