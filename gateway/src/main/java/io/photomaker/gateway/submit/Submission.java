package io.photomaker.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A job submission as read from the wire, before validation.
 *
 * @param request the request JSON object (without the images)
 * @param images the ID photos in the order they were sent
 */
public record Submission(JsonNode request, List<UploadedImage> images) {
    public Submission {
        images = List.copyOf(images);
    }
}
