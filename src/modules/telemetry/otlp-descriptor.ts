// The OTLP messages of ./proto as protobufjs reads them (Root.toJSON()), so the server
// decodes without parsing .proto files, which the build does not ship.
// otlp-descriptor.test.ts checks it against the .proto files; UPDATE_OTLP_DESCRIPTOR=1 on
// that test writes it again.
export const OTLP_DESCRIPTOR = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            collector: {
              nested: {
                logs: {
                  nested: {
                    v1: {
                      nested: {
                        ExportLogsServiceRequest: {
                          fields: {
                            resourceLogs: {
                              rule: 'repeated',
                              type: 'opentelemetry.proto.logs.v1.ResourceLogs',
                              id: 1,
                              protoName: 'resource_logs',
                            },
                          },
                        },
                        ExportLogsServiceResponse: {
                          fields: {
                            partialSuccess: {
                              type: 'ExportLogsPartialSuccess',
                              id: 1,
                              protoName: 'partial_success',
                            },
                          },
                        },
                        ExportLogsPartialSuccess: {
                          fields: {
                            rejectedLogRecords: {
                              type: 'int64',
                              id: 1,
                              protoName: 'rejected_log_records',
                            },
                            errorMessage: {
                              type: 'string',
                              id: 2,
                              protoName: 'error_message',
                            },
                          },
                        },
                      },
                    },
                  },
                },
                metrics: {
                  nested: {
                    v1: {
                      nested: {
                        ExportMetricsServiceRequest: {
                          fields: {
                            resourceMetrics: {
                              rule: 'repeated',
                              type: 'opentelemetry.proto.metrics.v1.ResourceMetrics',
                              id: 1,
                              protoName: 'resource_metrics',
                            },
                          },
                        },
                        ExportMetricsServiceResponse: {
                          fields: {
                            partialSuccess: {
                              type: 'ExportMetricsPartialSuccess',
                              id: 1,
                              protoName: 'partial_success',
                            },
                          },
                        },
                        ExportMetricsPartialSuccess: {
                          fields: {
                            rejectedDataPoints: {
                              type: 'int64',
                              id: 1,
                              protoName: 'rejected_data_points',
                            },
                            errorMessage: {
                              type: 'string',
                              id: 2,
                              protoName: 'error_message',
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            logs: {
              nested: {
                v1: {
                  nested: {
                    ResourceLogs: {
                      fields: {
                        resource: {
                          type: 'opentelemetry.proto.resource.v1.Resource',
                          id: 1,
                        },
                        scopeLogs: {
                          rule: 'repeated',
                          type: 'ScopeLogs',
                          id: 2,
                          protoName: 'scope_logs',
                        },
                        schemaUrl: {
                          type: 'string',
                          id: 3,
                          protoName: 'schema_url',
                        },
                      },
                      reserved: [[1000, 1000]],
                    },
                    ScopeLogs: {
                      fields: {
                        scope: {
                          type: 'opentelemetry.proto.common.v1.InstrumentationScope',
                          id: 1,
                        },
                        logRecords: {
                          rule: 'repeated',
                          type: 'LogRecord',
                          id: 2,
                          protoName: 'log_records',
                        },
                        schemaUrl: {
                          type: 'string',
                          id: 3,
                          protoName: 'schema_url',
                        },
                      },
                    },
                    SeverityNumber: {
                      values: {
                        SEVERITY_NUMBER_UNSPECIFIED: 0,
                        SEVERITY_NUMBER_TRACE: 1,
                        SEVERITY_NUMBER_TRACE2: 2,
                        SEVERITY_NUMBER_TRACE3: 3,
                        SEVERITY_NUMBER_TRACE4: 4,
                        SEVERITY_NUMBER_DEBUG: 5,
                        SEVERITY_NUMBER_DEBUG2: 6,
                        SEVERITY_NUMBER_DEBUG3: 7,
                        SEVERITY_NUMBER_DEBUG4: 8,
                        SEVERITY_NUMBER_INFO: 9,
                        SEVERITY_NUMBER_INFO2: 10,
                        SEVERITY_NUMBER_INFO3: 11,
                        SEVERITY_NUMBER_INFO4: 12,
                        SEVERITY_NUMBER_WARN: 13,
                        SEVERITY_NUMBER_WARN2: 14,
                        SEVERITY_NUMBER_WARN3: 15,
                        SEVERITY_NUMBER_WARN4: 16,
                        SEVERITY_NUMBER_ERROR: 17,
                        SEVERITY_NUMBER_ERROR2: 18,
                        SEVERITY_NUMBER_ERROR3: 19,
                        SEVERITY_NUMBER_ERROR4: 20,
                        SEVERITY_NUMBER_FATAL: 21,
                        SEVERITY_NUMBER_FATAL2: 22,
                        SEVERITY_NUMBER_FATAL3: 23,
                        SEVERITY_NUMBER_FATAL4: 24,
                      },
                    },
                    LogRecord: {
                      fields: {
                        timeUnixNano: {
                          type: 'fixed64',
                          id: 1,
                          protoName: 'time_unix_nano',
                        },
                        observedTimeUnixNano: {
                          type: 'fixed64',
                          id: 11,
                          protoName: 'observed_time_unix_nano',
                        },
                        severityNumber: {
                          type: 'SeverityNumber',
                          id: 2,
                          protoName: 'severity_number',
                        },
                        severityText: {
                          type: 'string',
                          id: 3,
                          protoName: 'severity_text',
                        },
                        body: {
                          type: 'opentelemetry.proto.common.v1.AnyValue',
                          id: 5,
                        },
                        attributes: {
                          rule: 'repeated',
                          type: 'opentelemetry.proto.common.v1.KeyValue',
                          id: 6,
                        },
                        droppedAttributesCount: {
                          type: 'uint32',
                          id: 7,
                          protoName: 'dropped_attributes_count',
                        },
                        flags: {
                          type: 'fixed32',
                          id: 8,
                        },
                        traceId: {
                          type: 'bytes',
                          id: 9,
                          protoName: 'trace_id',
                        },
                        spanId: {
                          type: 'bytes',
                          id: 10,
                          protoName: 'span_id',
                        },
                        eventName: {
                          type: 'string',
                          id: 12,
                          protoName: 'event_name',
                        },
                      },
                      reserved: [[4, 4]],
                    },
                  },
                },
              },
            },
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      oneofs: {
                        value: {
                          oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'],
                        },
                      },
                      fields: {
                        stringValue: {
                          type: 'string',
                          id: 1,
                          protoName: 'string_value',
                        },
                        boolValue: {
                          type: 'bool',
                          id: 2,
                          protoName: 'bool_value',
                        },
                        intValue: {
                          type: 'int64',
                          id: 3,
                          protoName: 'int_value',
                        },
                        doubleValue: {
                          type: 'double',
                          id: 4,
                          protoName: 'double_value',
                        },
                        arrayValue: {
                          type: 'ArrayValue',
                          id: 5,
                          protoName: 'array_value',
                        },
                        kvlistValue: {
                          type: 'KeyValueList',
                          id: 6,
                          protoName: 'kvlist_value',
                        },
                        bytesValue: {
                          type: 'bytes',
                          id: 7,
                          protoName: 'bytes_value',
                        },
                      },
                    },
                    ArrayValue: {
                      fields: {
                        values: {
                          rule: 'repeated',
                          type: 'AnyValue',
                          id: 1,
                        },
                      },
                    },
                    KeyValueList: {
                      fields: {
                        values: {
                          rule: 'repeated',
                          type: 'KeyValue',
                          id: 1,
                        },
                      },
                    },
                    KeyValue: {
                      fields: {
                        key: {
                          type: 'string',
                          id: 1,
                        },
                        value: {
                          type: 'AnyValue',
                          id: 2,
                        },
                      },
                    },
                    InstrumentationScope: {
                      fields: {
                        name: {
                          type: 'string',
                          id: 1,
                        },
                        version: {
                          type: 'string',
                          id: 2,
                        },
                        attributes: {
                          rule: 'repeated',
                          type: 'KeyValue',
                          id: 3,
                        },
                        droppedAttributesCount: {
                          type: 'uint32',
                          id: 4,
                          protoName: 'dropped_attributes_count',
                        },
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: {
                      fields: {
                        attributes: {
                          rule: 'repeated',
                          type: 'opentelemetry.proto.common.v1.KeyValue',
                          id: 1,
                        },
                        droppedAttributesCount: {
                          type: 'uint32',
                          id: 2,
                          protoName: 'dropped_attributes_count',
                        },
                      },
                    },
                  },
                },
              },
            },
            metrics: {
              nested: {
                v1: {
                  nested: {
                    ResourceMetrics: {
                      fields: {
                        resource: {
                          type: 'opentelemetry.proto.resource.v1.Resource',
                          id: 1,
                        },
                        scopeMetrics: {
                          rule: 'repeated',
                          type: 'ScopeMetrics',
                          id: 2,
                          protoName: 'scope_metrics',
                        },
                        schemaUrl: {
                          type: 'string',
                          id: 3,
                          protoName: 'schema_url',
                        },
                      },
                      reserved: [[1000, 1000]],
                    },
                    ScopeMetrics: {
                      fields: {
                        scope: {
                          type: 'opentelemetry.proto.common.v1.InstrumentationScope',
                          id: 1,
                        },
                        metrics: {
                          rule: 'repeated',
                          type: 'Metric',
                          id: 2,
                        },
                        schemaUrl: {
                          type: 'string',
                          id: 3,
                          protoName: 'schema_url',
                        },
                      },
                    },
                    Metric: {
                      oneofs: {
                        data: {
                          oneof: ['gauge', 'sum'],
                        },
                      },
                      fields: {
                        name: {
                          type: 'string',
                          id: 1,
                        },
                        description: {
                          type: 'string',
                          id: 2,
                        },
                        unit: {
                          type: 'string',
                          id: 3,
                        },
                        gauge: {
                          type: 'Gauge',
                          id: 5,
                        },
                        sum: {
                          type: 'Sum',
                          id: 7,
                        },
                        metadata: {
                          rule: 'repeated',
                          type: 'opentelemetry.proto.common.v1.KeyValue',
                          id: 12,
                        },
                      },
                      reserved: [
                        [4, 4],
                        [6, 6],
                        [8, 8],
                      ],
                    },
                    Gauge: {
                      fields: {
                        dataPoints: {
                          rule: 'repeated',
                          type: 'NumberDataPoint',
                          id: 1,
                          protoName: 'data_points',
                        },
                      },
                    },
                    Sum: {
                      fields: {
                        dataPoints: {
                          rule: 'repeated',
                          type: 'NumberDataPoint',
                          id: 1,
                          protoName: 'data_points',
                        },
                        aggregationTemporality: {
                          type: 'AggregationTemporality',
                          id: 2,
                          protoName: 'aggregation_temporality',
                        },
                        isMonotonic: {
                          type: 'bool',
                          id: 3,
                          protoName: 'is_monotonic',
                        },
                      },
                    },
                    AggregationTemporality: {
                      values: {
                        AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
                        AGGREGATION_TEMPORALITY_DELTA: 1,
                        AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
                      },
                    },
                    DataPointFlags: {
                      values: {
                        DATA_POINT_FLAGS_DO_NOT_USE: 0,
                        DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK: 1,
                      },
                    },
                    NumberDataPoint: {
                      oneofs: {
                        value: {
                          oneof: ['asDouble', 'asInt'],
                        },
                      },
                      fields: {
                        attributes: {
                          rule: 'repeated',
                          type: 'opentelemetry.proto.common.v1.KeyValue',
                          id: 7,
                        },
                        startTimeUnixNano: {
                          type: 'fixed64',
                          id: 2,
                          protoName: 'start_time_unix_nano',
                        },
                        timeUnixNano: {
                          type: 'fixed64',
                          id: 3,
                          protoName: 'time_unix_nano',
                        },
                        asDouble: {
                          type: 'double',
                          id: 4,
                          protoName: 'as_double',
                        },
                        asInt: {
                          type: 'sfixed64',
                          id: 6,
                          protoName: 'as_int',
                        },
                        flags: {
                          type: 'uint32',
                          id: 8,
                        },
                      },
                      reserved: [[1, 1]],
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
