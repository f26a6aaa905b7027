package org.springframework.samples.clinic.owner;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** What the owner form posts. */
record OwnerForm(
    @NotBlank String firstName,
    @NotBlank String lastName,
    @NotBlank String city,
    @NotBlank @Pattern(regexp = "\\d{10}", message = "Telephone must be a 10-digit number") String telephone) {}
