/** Not an API: Endpoint names: route templates, configured routes, normalized paths, special names. */
@NullMarked
package dev.requesttiming.core.internal.naming;

import org.jspecify.annotations.NullMarked;
