package org.hotlinecti.ivr;

/** How a department line joined 12345 (国办发〔2020〕53号), or the main line itself. */
public enum LineMode {
    /** The 12345 platform's own number. */
    MAIN,
    /** 整体并入: answered by 12345 with the department's skill preselected; may announce the merger. */
    MERGED,
    /** 双号并行: keeps its own greeting and queue priority, answered by the same agents. */
    PARALLEL,
    /** 设分中心: sent to the department's own centre over a trunk; falls back to the 12345 pool. */
    SUB_CENTRE;

    /** The name used in YAML: {@code main}, {@code merged}, {@code parallel}, {@code sub_centre}. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The flow a line in this mode runs unless its {@code flow} says otherwise. */
    public String defaultFlow() {
        return switch (this) {
            case MAIN -> "main";
            case MERGED -> "merged";
            case PARALLEL -> "parallel";
            case SUB_CENTRE -> "sub-centre";
        };
    }
}
