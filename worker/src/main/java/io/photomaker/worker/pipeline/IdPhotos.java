package io.photomaker.worker.pipeline;

import java.util.List;

/**
 * What a job's ID photos give the pipeline.
 *
 * @param idEmbeddings one ID embedding per photo used, in order ({@code tokens_per_image * id_embed_dim}
 *                     floats each); photomaker-v2 uses only the photos with a face
 * @param faceEmbeddings the raw ArcFace embedding of each photo with a face, in order (empty without face models)
 * @param withoutFace 0-based indexes of the photos in which no face was found (empty without face models)
 */
public record IdPhotos(List<float[]> idEmbeddings, List<float[]> faceEmbeddings, List<Integer> withoutFace) {

    public IdPhotos {
        idEmbeddings = List.copyOf(idEmbeddings);
        faceEmbeddings = List.copyOf(faceEmbeddings);
        withoutFace = List.copyOf(withoutFace);
    }

    /** The photos without a face as the 1-based numbers a person would use ("1, 3"). */
    public String withoutFaceNumbers() {
        return String.join(", ", withoutFace.stream().map(i -> Integer.toString(i + 1)).toList());
    }
}
